"""Who may use the control plane: no other site, and anyone over loopback or holders of the admin token.

In order, before any route runs or any body is read:

1. While the control plane is open (no `--admin-token`), every request, of
   the emulated API too, must name this machine in `Host` (or an
   `--allowed-host`); else 421 (`bitel_mock.http.guard`). With an admin token
   the emulator is meant to be reached by name, and `Host` is not checked.
2. A /__admin request sent by a browser from another site (a foreign
   `Origin`, `null` included, or `Sec-Fetch-Site: cross-site`/`same-site`)
   gets 403 `Forbidden`, with or without an admin token, whatever its method.
3. With `--admin-token` set, every /__admin request except `/__admin/health` and
   the dashboard's page and files (`/__admin/ui`, `/__admin/ui/...`: they hold no data)
   must carry it, as `Authorization: Bearer <admin token>` or `X-Admin-Token:
   <admin token>`; otherwise 401. Without one the emulator only listens on
   loopback (the CLI refuses anything else), and answers admin requests from
   loopback peers only.

The emulated API's own bearer check is independent of this.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from flask import Flask, request

from bitel_mock.dashboard.paths import is_page_path
from bitel_mock.errors import AdminError
from bitel_mock.http.guard import (
    IN_PROCESS_KEY,
    MisdirectedRequest,
    allowed_host,
    host_is_allowed,
    is_foreign,
    is_loopback,
)
from bitel_mock.http.paths import ADMIN_PREFIX, is_admin_path
from bitel_mock.settings import Settings
from bitel_mock.tokens import bearer_token

ADMIN_TOKEN_HEADER = "X-Admin-Token"
OPEN_PATHS = frozenset({ADMIN_PREFIX + "/health"})
FOREIGN_SITE_MESSAGE = (
    "the control plane does not answer requests sent by a web page of another site "
    "(Origin or Sec-Fetch-Site); use a command-line client or this emulator's own pages"
)


def request_host() -> str | None:
    """The `Host` header as sent (werkzeug would fall back to the server's name)."""
    return request.environ.get("HTTP_HOST")


def install_host_guard(app: Flask, allowed: Iterable[str]) -> None:
    """Refuse, before anything else runs, every socket request whose `Host` is not allowed."""
    names = frozenset(allowed_host(name) for name in allowed)

    def check_host() -> None:
        if request.environ.get(IN_PROCESS_KEY):
            return
        host = request_host()
        if not host_is_allowed(host, names):
            raise MisdirectedRequest(
                f"this emulator does not answer for Host {host!r}: use localhost or 127.0.0.1, "
                "or start it with --allowed-host NAME (or --admin-token)"
            )

    # First of all hooks: a refused request must not reach the journal, the clock or a body read.
    app.before_request_funcs.setdefault(None, []).insert(0, check_host)


def _presented() -> str | None:
    return request.headers.get(ADMIN_TOKEN_HEADER) or bearer_token(request.headers.get("Authorization"))


def _check_site() -> None:
    headers = request.headers
    if is_foreign(headers.getlist("Origin"), headers.get("Sec-Fetch-Site"), request.scheme, request_host()):
        raise AdminError("Forbidden", FOREIGN_SITE_MESSAGE, 403)


def install_admin_access(app: Flask, settings: Settings) -> None:
    """Check every request's `Host` (while the control plane is open), and every
    control-plane request's site and token, before its route runs."""
    admin_token = settings.admin_token
    if admin_token is None:
        install_host_guard(app, settings.allowed_hosts)

    def check() -> None:
        path = request.path
        if not is_admin_path(path):
            return
        _check_site()
        if path in OPEN_PATHS or is_page_path(path):
            return
        if admin_token is None:
            peer = request.remote_addr
            if peer is not None and not is_loopback(peer):
                raise AdminError("Unauthorized", "the control plane answers loopback only; set --admin-token", 401)
            return
        presented = _presented()
        if presented is None:
            raise AdminError(
                "Unauthorized",
                f"the control plane needs the admin token (Authorization: Bearer <token> or {ADMIN_TOKEN_HEADER})",
                401,
            )
        if not hmac.compare_digest(presented.encode(), admin_token.encode()):
            raise AdminError("Unauthorized", "the admin token is not accepted", 401)

    # Right after the Host check: nothing else (clock, journal, body) runs for a refused request.
    funcs = app.before_request_funcs.setdefault(None, [])
    funcs.insert(1 if admin_token is None else 0, check)
