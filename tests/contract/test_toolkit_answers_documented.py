"""The toolkit's control-plane routes answer what the admin document says, status by status:
journal entries of every kind, faults of every kind, rate limits, and each route's errors."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.memory import MemoryStore
from bitel_mock.toolkit.ratelimit import RateLimit
from tests.conftest import AUTH, VOICE_ID
from tests.contract.admin_document import assert_documented

SPEC = contracts.openapi("admin-openapi.yaml")
BATCH = "/api/v2/voice/batch"
SINGLE = "/api/v2/voice/single"
BATCH_BODY = {"phoneNumbers": ["09121234567", "09121234568"], "voiceId": VOICE_ID}
FAULTS_OF_EVERY_KIND = [
    {"kind": "delay", "seconds": 0, "path": SINGLE, "times": 1},
    {"kind": "delay", "minSeconds": 0, "maxSeconds": 0.5, "method": "post", "probability": 0.5},
    {"kind": "status", "status": 503, "pathPattern": "/api/v2/voice/.*", "token": "a-token"},
    {"kind": "status", "status": 418, "error": "Teapot", "phoneNumber": "09121234567"},
    {"kind": "drop", "path": "/nowhere", "times": 3},
    {"kind": "malformed", "body": "not-json", "status": 502, "path": "/nowhere"},
    {"kind": "malformed", "path": "/nowhere", "method": None},
]


def _app(**settings: Any) -> Flask:
    return create_app(Settings(seed=9, clock="manual", start_time=1_700_000_000, **settings))


@pytest.fixture
def client() -> FlaskClient:
    return _app().test_client()


def _documented(method: str, path: str, answer: Any, template: str | None = None) -> Any:
    return assert_documented(SPEC, method, template or path, answer)


def _journal_of_every_kind(client: FlaskClient) -> None:
    """A placed batch, a fault's answer, a dropped connection, a 429, and bodies that are not JSON."""
    assert client.post(BATCH, json=BATCH_BODY, headers=AUTH).status_code == 200
    client.post(
        "/__admin/faults", json={"kind": "status", "status": 503, "path": BATCH, "times": 1}
    )
    assert client.post(BATCH, json=BATCH_BODY, headers=AUTH).status_code == 503
    client.post("/__admin/faults", json={"kind": "drop", "path": "/dropped", "times": 1})
    client.get("/dropped?x=1")
    client.put("/__admin/rate-limit", json={"rps": 0.001, "burst": 1})
    client.get("/api/v2/voice/status/" + "0" * 32, headers={"Authorization": "Bearer other"})
    assert (
        client.get(
            "/api/v2/voice/status/" + "0" * 32, headers={"Authorization": "Bearer other"}
        ).status_code
        == 429
    )
    client.delete("/__admin/rate-limit")
    client.post(SINGLE, data=b"\xff not json " * 2000, headers=AUTH)
    client.post(SINGLE, data="{}", headers={"Content-Type": "text/plain"})


def test_the_journal_listing_and_its_pages_are_documented(client: FlaskClient) -> None:
    _journal_of_every_kind(client)
    page = _documented("GET", "/__admin/requests", client.get("/__admin/requests?limit=3"))
    assert len(page["requests"]) == 3 and page["total"] >= 7 and page["nextCursor"] is not None
    entries = _documented("GET", "/__admin/requests", client.get("/__admin/requests?limit=1000"))[
        "requests"
    ]
    assert {entry["status"] for entry in entries} >= {200, 503, 429, None}
    assert any(entry.get("limited") == "rate" for entry in entries)
    assert any(entry["bodyTruncated"] and entry["bodyText"] for entry in entries)
    following = client.get(f"/__admin/requests?limit=3&cursor={page['nextCursor']}")
    assert _documented("GET", "/__admin/requests", following)["requests"][0]["seq"] < int(
        page["nextCursor"]
    )
    filtered = client.get(
        "/__admin/requests?method=post&status=503&project=" + entries[-1]["project"]
    )
    assert _documented("GET", "/__admin/requests", filtered)["total"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=1001",
        "offset=1000000001",
        "cursor=0",
        "cursor=1000000000000000001",
        "offset=0&cursor=1",
        "status=99",
        "status=600",
        "status=5x",
        "project=" + "A" * 16,
        "method=",
    ],
)
def test_a_bad_journal_query_is_a_documented_400(client: FlaskClient, query: str) -> None:
    assert (
        _documented("GET", "/__admin/requests", client.get("/__admin/requests?" + query))["error"]
        == "InvalidRequest"
    )


def test_the_journal_bounds_are_the_documented_ones(client: FlaskClient) -> None:
    for query in (
        "limit=1000",
        "offset=1000000000",
        "cursor=1000000000000000000",
        "status=100",
        "status=599",
    ):
        assert client.get("/__admin/requests?" + query).status_code == 200, query


def test_count_and_clear_are_documented(client: FlaskClient) -> None:
    client.post(BATCH, json=BATCH_BODY, headers=AUTH)
    matcher = {"path": BATCH, "status": 200, "bodyContains": {"phoneNumbers": ["09121234568"]}}
    assert _documented(
        "POST", "/__admin/requests/count", client.post("/__admin/requests/count", json=matcher)
    ) == {"count": 1}
    for bad in ({"status": 200.0}, {"unknown": 1}, {"path": ""}, [], {"status": 600}):
        refused = client.post("/__admin/requests/count", json=bad)
        assert (
            _documented("POST", "/__admin/requests/count", refused)["error"] == "InvalidRequest"
        ), bad
    assert _documented("DELETE", "/__admin/requests", client.delete("/__admin/requests")) == {
        "cleared": True
    }
    assert client.post("/__admin/requests/count", json={}).get_json() == {"count": 0}


@pytest.mark.parametrize("fault", FAULTS_OF_EVERY_KIND, ids=lambda fault: fault["kind"])
def test_a_fault_of_every_kind_is_kept_as_documented(
    client: FlaskClient, fault: dict[str, Any]
) -> None:
    kept = _documented("POST", "/__admin/faults", client.post("/__admin/faults", json=fault))
    assert kept["kind"] == fault["kind"] and kept["hits"] == 0
    listed = _documented("GET", "/__admin/faults", client.get("/__admin/faults"))["faults"]
    assert listed == [kept]
    path = f"/__admin/faults/{kept['id']}"
    assert _documented("DELETE", path, client.delete(path), "/__admin/faults/{faultId}") == {
        "removed": kept["id"]
    }
    assert (
        _documented("DELETE", path, client.delete(path), "/__admin/faults/{faultId}")["error"]
        == "NotFound"
    )


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "delay", "minSeconds": 2, "maxSeconds": 1},
        {"kind": "delay", "seconds": 1, "minSeconds": 0},
        {"kind": "status", "status": 503, "times": 1.0},
        {"kind": "status", "status": 503, "error": None},
        {"kind": "drop", "path": "/__admin/reset"},
        {"kind": "drop", "path": "/a", "pathPattern": "/a"},
        {"kind": "drop", "pathPattern": "(?=a)"},
        {"kind": "malformed", "error": "X"},
        {"kind": "drop", "probability": 0},
    ],
)
def test_a_bad_fault_is_a_documented_400_and_keeps_nothing(
    client: FlaskClient, fault: dict[str, Any]
) -> None:
    assert (
        _documented("POST", "/__admin/faults", client.post("/__admin/faults", json=fault))["error"]
        == "InvalidRequest"
    )
    assert client.get("/__admin/faults").get_json() == {"faults": []}


def test_clearing_faults_is_documented(client: FlaskClient) -> None:
    client.post("/__admin/faults", json={"kind": "drop"})
    assert _documented("DELETE", "/__admin/faults", client.delete("/__admin/faults")) == {
        "cleared": True
    }
    assert client.get("/__admin/faults").get_json() == {"faults": []}


def test_the_rate_limit_routes_are_documented() -> None:
    client = _app().test_client()
    assert _documented("GET", "/__admin/rate-limit", client.get("/__admin/rate-limit")) == {
        "rps": None,
        "burst": None,
        "maxWaiting": None,
    }
    answer = client.put("/__admin/rate-limit", json={"rps": 2.5, "maxWaiting": 4})
    assert _documented("PUT", "/__admin/rate-limit", answer) == {
        "rps": 2.5,
        "burst": 3,
        "maxWaiting": 4,
    }
    for bad in ({"burst": 2}, {"rps": 0}, {"maxWaiting": 4.0}, {"rps": 1, "other": 1}):
        refused = client.put("/__admin/rate-limit", json=bad)
        assert _documented("PUT", "/__admin/rate-limit", refused)["error"] == "InvalidRequest", bad
    assert client.get("/__admin/rate-limit").get_json()["maxWaiting"] == 4
    assert (
        _documented("DELETE", "/__admin/rate-limit", client.delete("/__admin/rate-limit"))["rps"]
        is None
    )


def test_deleting_the_rate_limit_goes_back_to_the_startup_limits() -> None:
    client = _app(rate_limit=RateLimit(5, 10), max_waiting=20).test_client()
    client.put("/__admin/rate-limit", json={})
    assert client.get("/__admin/rate-limit").get_json() == {
        "rps": None,
        "burst": None,
        "maxWaiting": None,
    }
    answer = client.delete("/__admin/rate-limit")
    assert _documented("DELETE", "/__admin/rate-limit", answer) == {
        "rps": 5.0,
        "burst": 10,
        "maxWaiting": 20,
    }


BODY_OPERATIONS = [
    ("POST", "/__admin/requests/count"),
    ("POST", "/__admin/faults"),
    ("PUT", "/__admin/rate-limit"),
]
PLAIN_OPERATIONS = [
    ("GET", "/__admin/requests"),
    ("DELETE", "/__admin/requests"),
    ("GET", "/__admin/faults"),
    ("DELETE", "/__admin/faults"),
    ("GET", "/__admin/rate-limit"),
    ("DELETE", "/__admin/rate-limit"),
]


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_a_body_too_large_or_not_json_is_documented(method: str, path: str) -> None:
    client = _app(max_body_bytes=64).test_client()
    assert (
        _documented(method, path, client.open(path, method=method, data=b"{" + b" " * 100 + b"}"))[
            "error"
        ]
        == "PayloadTooLarge"
    )
    assert (
        _documented(method, path, client.open(path, method=method, data=b"{,"))["error"]
        == "InvalidRequest"
    )


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS + PLAIN_OPERATIONS)
def test_the_guard_answers_are_documented(method: str, path: str) -> None:
    guarded = _app(admin_token="admin-secret").test_client()
    assert (
        _documented(method, path, guarded.open(path, method=method, json={}))["error"]
        == "Unauthorized"
    )
    client = _app().test_client()
    foreign = client.open(path, method=method, json={}, headers={"Origin": "http://evil.example"})
    assert _documented(method, path, foreign)["error"] == "Forbidden"
    misdirected = client.open(path, method=method, json={}, headers={"Host": "evil.example"})
    assert _documented(method, path, misdirected)["error"] == "MisdirectedRequest"


TOOLKIT_STORE_METHODS = (
    "journal_page",
    "clear_journal",
    "list_faults",
    "add_fault",
    "clear_faults",
    "remove_fault",
    "rate_limit",
    "set_rate_limit",
)


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS + PLAIN_OPERATIONS)
def test_a_store_in_trouble_is_a_documented_503(
    method: str, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = MemoryStore()
    client = create_app(
        Settings(seed=9, clock="manual", start_time=1_700_000_000), store=store
    ).test_client()

    def unavailable(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("down for the test")

    for name in TOOLKIT_STORE_METHODS:
        monkeypatch.setattr(store, name, unavailable)
    body = {"kind": "drop"} if path.endswith("/faults") else {}
    answer = client.open(path, method=method, json=body)
    assert _documented(method, path, answer)["error"] == "ServiceUnavailable"
    assert answer.headers["Retry-After"] == "1"
