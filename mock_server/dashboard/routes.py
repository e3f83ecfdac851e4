"""The dashboard's routes: the page, its assets, and the redirects that lead to it.

Served without the admin token (`admin.access` exempts `paths.is_page_path`) but behind the
same site and Host checks as every /__admin route. Every answer forbids framing, sniffing,
referrers and any script but the page's own files.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from bitel_mock.dashboard.assets import shipped_assets
from bitel_mock.dashboard.choices import page_choices
from bitel_mock.dashboard.paths import ASSET_PREFIX, PAGE_PATH, PAGE_URL
from bitel_mock.errors import AdminError
from bitel_mock.http.current import emulator
from bitel_mock.version import __version__

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
"""On every answer of the dashboard: the page, its assets and its redirects."""
HTML_TYPE = "text/html; charset=utf-8"

blueprint = Blueprint("dashboard", __name__, template_folder="templates")


def _to_page() -> Response:
    """302 to the page, with no body (an HTML "Redirecting..." page is no answer of ours)."""
    return Response(status=302, headers={"Location": PAGE_URL})


@blueprint.after_request
def _secured(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


@blueprint.get("/")
def root() -> Response:
    """The emulated API has nothing at `/`: a browser opening the emulator gets the page."""
    return _to_page()


@blueprint.get(PAGE_PATH)
def page_without_slash() -> Response:
    return _to_page()


@blueprint.get(PAGE_URL)
def page() -> Response:
    html = render_template(
        "dashboard.html",
        version=__version__,
        asset_prefix=ASSET_PREFIX,
        # Whether to ask for the admin token before the first call (rather than after a 401).
        admin_token_required=emulator().settings.admin_token is not None,
        **page_choices(),
    )
    return Response(html, content_type=HTML_TYPE)


@blueprint.get(ASSET_PREFIX + "<name>")
def asset(name: str) -> Response:
    found = shipped_assets().get(name)
    if found is None:
        raise AdminError("NotFound", f"the dashboard ships no file {name!r}", 404)
    return Response(found.data, content_type=found.content_type)
