"""Who may load the page: anyone the guard lets through, without the admin token (the page and
its files hold no data); every data route keeps its token check; other sites and foreign
`Host` names are refused on the page as on any /__admin route."""

from __future__ import annotations

import pytest

from bitel_mock.dashboard.paths import is_page_path
from tests.dashboard.pages import ADMIN_TOKEN, PAGE, STATIC, make_app

TOKEN_APP = make_app(admin_token=ADMIN_TOKEN)
OPEN_APP = make_app()
PAGE_PATHS = [PAGE, "/__admin/ui", STATIC + "app.js", STATIC + "dashboard.css", STATIC + "favicon.svg"]


def _data_get_paths() -> list[str]:
    """Every GET route of the control plane without a path parameter, but health and the page."""
    return sorted(
        rule.rule
        for rule in TOKEN_APP.url_map.iter_rules()
        if rule.rule.startswith("/__admin/")
        and "GET" in (rule.methods or ())
        and not rule.arguments
        and rule.rule != "/__admin/health"
        and not is_page_path(rule.rule)
    )


def test_the_exempt_paths_are_exactly_the_page_its_redirect_and_what_lies_under_it() -> None:
    assert is_page_path("/__admin/ui")
    assert is_page_path("/__admin/ui/")
    assert is_page_path("/__admin/ui/static/app.js")
    for path in ("/__admin/uix", "/__admin/ui-data", "/__admin/u", "/__admin", "/__admin/calls", "/ui/"):
        assert not is_page_path(path), path


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_the_page_and_its_files_need_no_admin_token(path: str) -> None:
    assert TOKEN_APP.test_client().get(path).status_code in (200, 302)


def test_the_data_routes_listed_cover_the_traffic_the_page_shows() -> None:
    assert {"/__admin/calls", "/__admin/sms/messages", "/__admin/clock", "/__admin/requests"} <= set(_data_get_paths())


@pytest.mark.parametrize("path", _data_get_paths())
def test_every_data_route_still_needs_the_token(path: str) -> None:
    client = TOKEN_APP.test_client()
    refused = client.get(path)
    assert refused.status_code == 401, path
    assert refused.get_json()["error"] == "Unauthorized"
    assert client.get(path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 200


@pytest.mark.parametrize("path", ["/__admin/uix", "/__admin/ui-data", "/__admin/uistatic/app.js"])
def test_a_path_that_only_starts_like_the_page_is_not_exempt(path: str) -> None:
    assert TOKEN_APP.test_client().get(path).status_code == 401


def test_the_page_tells_its_script_whether_to_ask_for_the_token_first() -> None:
    asked = TOKEN_APP.test_client().get(PAGE).get_data(as_text=True)
    assert 'data-admin-token="required"' in asked
    assert ADMIN_TOKEN not in asked
    assert "data-admin-token" not in OPEN_APP.test_client().get(PAGE).get_data(as_text=True)


FOREIGN = [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
]


@pytest.mark.parametrize("app", [OPEN_APP, TOKEN_APP], ids=["open", "admin token"])
@pytest.mark.parametrize("headers", FOREIGN, ids=lambda headers: ", ".join(f"{k}: {v}" for k, v in headers.items()))
@pytest.mark.parametrize("path", PAGE_PATHS)
def test_another_site_is_refused_the_page(app, headers: dict[str, str], path: str) -> None:  # type: ignore[no-untyped-def]
    answer = app.test_client().get(path, headers=headers)
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "Forbidden"


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_the_page_itself_may_load_its_files(path: str) -> None:
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert OPEN_APP.test_client().get(path, headers=headers).status_code in (200, 302)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_a_foreign_host_is_misdirected(path: str) -> None:
    answer = OPEN_APP.test_client().get(path, headers={"Host": "rebound.example"})
    assert answer.status_code == 421
    assert answer.get_json()["error"] == "MisdirectedRequest"
    assert OPEN_APP.test_client().get(path, headers={"Host": "127.0.0.1:8080"}).status_code in (200, 302)
