"""The control plane refuses requests a web page of another site sends (Origin, Sec-Fetch-Site)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.security.helpers import EVIL, assert_admin_error, call_count, emulator, place_call

ADMIN_TOKEN = "admin-secret"

# Every kind of control-plane request: reads reveal state, writes change it.
ADMIN_REQUESTS = [
    ("GET", "/__admin/health", None),
    ("GET", "/__admin/calls", None),
    ("GET", "/__admin/requests", None),
    ("GET", "/__admin/clock", None),
    ("GET", "/__admin/webhooks/config", None),
    ("GET", "/__admin/openapi.json", None),
    ("POST", "/__admin/reset", None),
    ("POST", "/__admin/clock/advance", {"seconds": 60}),
    ("POST", "/__admin/webhooks/config", {"url": "http://127.0.0.1:9/hook"}),
    ("POST", "/__admin/scenarios", {"match": {"number": "09121234567"}, "attempts": ["USER_BUSY"]}),
    ("DELETE", "/__admin/scenarios", None),
    ("POST", "/__admin/faults", {"kind": "drop"}),
    ("PUT", "/__admin/rate-limit", {"rps": 1}),
    ("DELETE", "/__admin/rate-limit", None),
    ("OPTIONS", "/__admin/reset", None),
]

FOREIGN = [
    {"Origin": EVIL},
    {"Origin": "null"},
    {"Origin": "http://localhost:8080"},  # another port is another origin
    {"Origin": "https://localhost"},  # another scheme too
    {"Origin": "http://127.0.0.1"},  # the same machine by another name is another origin
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
]


def control_state(client: FlaskClient) -> list[object]:
    """Everything a control-plane write could change, read as a command-line client would."""
    paths = ["/__admin/calls", "/__admin/clock", "/__admin/webhooks/config", "/__admin/scenarios",
             "/__admin/faults", "/__admin/rate-limit"]
    return [client.get(path).get_json() for path in paths]


@pytest.fixture
def client() -> FlaskClient:
    # A manual clock: the clock read before and after a refused request is the same.
    client = emulator(clock="manual", start_time=1_700_000_000).test_client()
    place_call(client)
    return client


def test_a_cross_site_text_plain_reset_is_403_and_forgets_nothing(client: FlaskClient) -> None:
    response = client.post(
        "/__admin/reset", data='{"x": 1}', headers={"Origin": EVIL, "Content-Type": "text/plain"}
    )
    assert response.status_code == 403
    assert_admin_error(response.get_json(), "Forbidden")
    assert call_count(client) == 1


def test_sec_fetch_site_cross_site_reset_is_403_and_forgets_nothing(client: FlaskClient) -> None:
    response = client.post("/__admin/reset", data="", headers={"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"})
    assert response.status_code == 403
    assert_admin_error(response.get_json(), "Forbidden")
    assert call_count(client) == 1


@pytest.mark.parametrize("foreign", FOREIGN, ids=lambda h: repr(h))
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_REQUESTS, ids=lambda v: str(v))
def test_every_admin_request_from_another_site_is_403(
    client: FlaskClient, method: str, path: str, body: object, foreign: dict[str, str]
) -> None:
    before = control_state(client)
    response = client.open(path, method=method, json=body, headers=foreign)
    assert response.status_code == 403
    assert_admin_error(response.get_json(), "Forbidden")
    assert control_state(client) == before


@pytest.mark.parametrize(
    "own",
    [
        {},  # a command-line client sends neither header
        {"Origin": "http://localhost"},  # the test client's Host is `localhost`
        {"Origin": "HTTP://LOCALHOST"},
        {"Origin": "http://localhost:80"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},  # typed in the address bar, or a bookmark
        {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    ],
    ids=lambda h: repr(h),
)
def test_command_line_clients_and_the_emulators_own_pages_are_answered(client: FlaskClient, own: dict[str, str]) -> None:
    assert client.get("/__admin/calls", headers=own).status_code == 200
    assert client.post("/__admin/reset", headers=own).status_code == 200
    assert call_count(client) == 0


def test_the_origin_is_compared_with_the_host_the_request_names() -> None:
    client = emulator().test_client()
    headers = {"Host": "127.0.0.1:8080", "Origin": "http://127.0.0.1:8080"}
    assert client.get("/__admin/calls", headers=headers).status_code == 200
    headers = {"Host": "127.0.0.1:8080", "Origin": "http://127.0.0.1:8081"}
    assert client.get("/__admin/calls", headers=headers).status_code == 403


def test_the_site_is_checked_before_the_body_is_read() -> None:
    client = emulator(max_body_bytes=10).test_client()
    big = "x" * 100
    # Read, the body would be too large (413); refused by site first, it is never read.
    assert client.post("/__admin/scenarios", data=big, headers={"Content-Type": "text/plain"}).status_code == 413
    response = client.post("/__admin/scenarios", data=big, headers={"Origin": EVIL, "Content-Type": "text/plain"})
    assert response.status_code == 403


def test_the_emulated_api_is_not_subject_to_the_origin_check(client: FlaskClient) -> None:
    call_id = place_call(client, {"Origin": EVIL})
    assert call_count(client) == 2 and call_id


def test_with_an_admin_token_other_sites_are_still_refused() -> None:
    client = emulator(admin_token=ADMIN_TOKEN).test_client()
    token = {"X-Admin-Token": ADMIN_TOKEN}
    for foreign in FOREIGN:
        for path in ("/__admin/health", "/__admin/calls"):
            response = client.get(path, headers={**token, **foreign})
            assert response.status_code == 403
            assert_admin_error(response.get_json(), "Forbidden")
    assert client.get("/__admin/calls", headers={**token, "Origin": "http://localhost"}).status_code == 200
    # Refused for its site, a request without the token still hears 401 from its own site.
    assert client.get("/__admin/calls", headers={"Origin": "http://localhost"}).status_code == 401
