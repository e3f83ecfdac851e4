"""The page and its files are served with their content types and the headers that keep a
browser from running anything else, framing it, or sniffing; `/` and `/__admin/ui` lead to it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from bitel_mock.dashboard.routes import CONTENT_SECURITY_POLICY
from tests.dashboard.pages import (
    EXPECTED_HEADERS,
    PAGE,
    STATIC,
    csp_directives,
    make_app,
    shipped_files,
)

APP = make_app()
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


def _assert_secured(answer) -> None:  # type: ignore[no-untyped-def]
    for name, value in EXPECTED_HEADERS.items():
        assert answer.headers[name] == value, name
    assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_policy_allows_only_the_pages_own_files_and_no_framing() -> None:
    directives = csp_directives(CONTENT_SECURITY_POLICY)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY


def test_the_page_is_html_with_every_header() -> None:
    answer = APP.test_client().get(PAGE)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    _assert_secured(answer)
    html = answer.get_data(as_text=True)
    assert f'<script type="module" src="{STATIC}app.js"></script>' in html
    assert f'href="{STATIC}favicon.svg"' in html


@pytest.mark.parametrize("path", shipped_files(), ids=lambda path: path.name)
def test_every_shipped_file_is_served_as_itself(path) -> None:  # type: ignore[no-untyped-def]
    answer = APP.test_client().get(STATIC + path.name)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == CONTENT_TYPES[path.suffix]
    assert answer.get_data() == path.read_bytes()
    _assert_secured(answer)


@pytest.mark.parametrize("name", ["nothing.js", "..", "%2e%2e%2fapp.py", "routes.py", "app.js.map"])
def test_a_file_not_shipped_is_a_json_404(name: str) -> None:
    answer = APP.test_client().get(STATIC + name)
    assert answer.status_code == 404
    assert answer.mimetype == "application/json"
    assert answer.get_json()["error"] == "NotFound"


@pytest.mark.parametrize("path", ["/", "/__admin/ui"])
def test_the_root_and_the_page_without_its_slash_redirect_to_the_page(path: str) -> None:
    answer = APP.test_client().get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"] == PAGE
    assert answer.get_data() == b""
    _assert_secured(answer)


def test_the_root_takes_get_only_and_answers_other_methods_in_the_envelope() -> None:
    answer = APP.test_client().post("/", data="{}")
    assert answer.status_code == 405
    assert answer.get_json() == {"result": None, "error": "MethodNotAllowed"}
    assert set(answer.headers["Allow"].split(", ")) == {"GET", "HEAD"}


PATH_TEXT = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="?#%\\"), max_size=30
).filter(lambda tail: not tail.startswith("/"))
"""A path's tail; never "//..." at the start, which the test client would read as a host."""


@given(tail=PATH_TEXT, admin=st.booleans())
def test_the_root_redirect_changes_no_other_paths_not_found(tail: str, admin: bool) -> None:
    path = ("/__admin/" if admin else "/") + tail
    try:
        APP.url_map.bind("bitel.test").match(path, method="GET")
        return  # a route: not the subject here
    except NotFound:
        pass
    except (MethodNotAllowed, RequestRedirect):  # a route for another method, or with a "/"
        return
    answer = APP.test_client().get(path)
    assert answer.status_code == 404, path
    assert answer.mimetype == "application/json"
    if admin:
        assert answer.get_json()["error"] == "NotFound"
    else:
        assert answer.get_json() == {"result": None, "error": "NotFound"}
