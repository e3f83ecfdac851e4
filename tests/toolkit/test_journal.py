"""The request journal: what is recorded, masking, filters, pagination, bounds, counting."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.domain.clock import FixedClock
from bitel_mock.pytest_plugin import BitelMock
from bitel_mock.settings import Settings
from bitel_mock.toolkit.journal import contains
from tests.toolkit.conftest import AUTH, BATCH, NUMBER, SINGLE, SINGLE_BODY, TOKEN, VOICE_ID


def test_an_accepted_request_is_recorded_whole() -> None:
    app = create_app(Settings(seed=1), clock=FixedClock(1_700_000_000.5))
    client = app.test_client()
    placed = client.post(SINGLE, json=SINGLE_BODY, headers=AUTH | {"X-Trace": "t1"}).get_json()["result"]
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert entry["time"] == 1_700_000_000.5
    assert (entry["method"], entry["path"], entry["status"], entry["error"]) == ("POST", SINGLE, 200, None)
    assert entry["body"] == SINGLE_BODY and entry["bodyText"] is None
    assert entry["phoneNumbers"] == [NUMBER]
    assert entry["callIds"] == [placed["id"]]
    assert entry["headers"]["X-Trace"] == "t1"
    assert entry["headers"]["Authorization"] == "Bearer sk-l…"
    assert entry["token"] == "sk-l…"


def test_the_journal_never_holds_a_whole_token(bitel_mock: BitelMock) -> None:
    client = bitel_mock.client
    client.post(SINGLE, json=SINGLE_BODY, headers=AUTH)
    client.get("/api/v2/voice/status/nope", headers={"authorization": f"bearer {TOKEN}", "X-Admin-Token": "adm-secret-1"})
    text = client.get("/__admin/requests").get_data(as_text=True)
    assert TOKEN not in text and "adm-secret-1" not in text
    assert len(bitel_mock.requests()) == 2


def test_errors_and_unknown_paths_are_recorded_with_their_code(bitel_mock: BitelMock) -> None:
    client = bitel_mock.client
    client.post(SINGLE, data="not json", headers=AUTH)
    client.get("/no/such/path")
    client.get("/__admin/health")  # the control plane is not journaled
    unknown, bad = bitel_mock.requests()
    assert (bad["status"], bad["error"], bad["body"], bad["bodyText"]) == (400, "InvalidRequest", None, "not json")
    assert (unknown["path"], unknown["status"], unknown["error"]) == ("/no/such/path", 404, "NotFound")


def test_a_large_text_body_is_kept_bounded(bitel_mock: BitelMock) -> None:
    bitel_mock.client.post(SINGLE, data="x" * 100_000, headers=AUTH)
    [entry] = bitel_mock.requests()
    assert entry["bodyText"] == "x" * 4096


def test_the_journal_is_bounded_and_drops_the_oldest() -> None:
    client = create_app(Settings(journal_size=3)).test_client()
    for n in range(5):
        client.get(f"/missing/{n}")
    page = client.get("/__admin/requests").get_json()
    assert [e["path"] for e in page["requests"]] == ["/missing/4", "/missing/3", "/missing/2"]
    assert page["total"] == 3


def test_a_journal_of_size_zero_keeps_nothing() -> None:
    client = create_app(Settings(journal_size=0)).test_client()
    client.get("/missing")
    assert client.get("/__admin/requests").get_json()["total"] == 0


def test_clear(bitel_mock: BitelMock) -> None:
    bitel_mock.client.get("/missing")
    assert bitel_mock.client.delete("/__admin/requests").status_code == 200
    assert bitel_mock.requests() == []


def test_offset_pagination(bitel_mock: BitelMock) -> None:
    for n in range(7):
        bitel_mock.client.get(f"/p/{n}")
    page = bitel_mock.client.get("/__admin/requests?limit=3&offset=3").get_json()
    assert [e["path"] for e in page["requests"]] == ["/p/3", "/p/2", "/p/1"]
    assert page["total"] == 7


def test_cursor_pagination_walks_every_entry_once(bitel_mock: BitelMock) -> None:
    for n in range(7):
        bitel_mock.client.get(f"/p/{n}")
    seen, cursor = [], None
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = bitel_mock.client.get(f"/__admin/requests?{query}").get_json()
        seen += [e["path"] for e in page["requests"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [f"/p/{n}" for n in reversed(range(7))]


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=0", "limit"), ("limit=1001", "limit"), ("offset=-1", "offset"), ("limit=x", "limit"),
     ("status=abc", "status"), ("cursor=1&offset=2", "cursor"), ("colour=red", "colour")],
)
def test_bad_queries_are_a_400_naming_the_field(bitel_mock: BitelMock, query: str, field: str) -> None:
    response = bitel_mock.client.get(f"/__admin/requests?{query}")
    if field == "colour":  # unknown query parameters are ignored, as by most HTTP APIs
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(f"{field}:")


def test_count_with_body_contains(bitel_mock: BitelMock) -> None:
    client = bitel_mock.client
    client.post(BATCH, json={"phoneNumbers": [NUMBER, "09350000000"], "voiceId": VOICE_ID, "retryCount": 2}, headers=AUTH)
    client.post(SINGLE, json=SINGLE_BODY, headers=AUTH)

    def count(matcher: dict) -> int:
        response = client.post("/__admin/requests/count", json=matcher)
        assert response.status_code == 200
        return response.get_json()["count"]

    assert count({}) == 2
    assert count({"bodyContains": {"phoneNumbers": ["09350000000"]}}) == 1
    assert count({"bodyContains": {"voiceId": VOICE_ID}}) == 2
    assert count({"bodyContains": {"retryCount": 3}}) == 0
    assert count({"phoneNumber": NUMBER, "method": "post"}) == 2
    assert count({"path": SINGLE, "status": 200}) == 1
    bad = client.post("/__admin/requests/count", json={"statuss": 200})
    assert bad.status_code == 400 and bad.get_json()["message"].startswith("statuss:")


def test_subset_match_rules() -> None:
    assert contains({"a": 1, "b": [1, 2, 3]}, {"b": [3, 1]})
    assert not contains({"a": 1}, {"a": 1, "b": None})
    assert not contains({"a": True}, {"a": 1})
    assert not contains({"a": 1}, {"a": True})
    assert contains([{"x": 1, "y": 2}], [{"x": 1}])
    assert contains("text", "text") and not contains(None, {})


# --- the filters against a model of them -----------------------------------------

REQUESTS = st.lists(
    st.tuples(
        st.sampled_from(["GET", "POST"]),
        st.sampled_from([SINGLE, BATCH, "/api/v2/voice/status/abc", "/other"]),
        st.sampled_from([NUMBER, "09350000000", "bad"]),
        st.booleans(),  # with a token
    ),
    max_size=12,
)
FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "method": st.sampled_from(["GET", "POST"]),
        "path": st.sampled_from([SINGLE, BATCH, "/other"]),
        "status": st.sampled_from([200, 400, 401, 404, 405]),
        "error": st.sampled_from(["InvalidRequest", "Unauthorized", "NotFound", "MethodNotAllowed"]),
        "phoneNumber": st.sampled_from([NUMBER, "09350000000"]),
    },
)


def _send(client: FlaskClient, method: str, path: str, number: str, token: bool) -> None:
    body = {"phoneNumbers": [number], "voiceId": VOICE_ID} if path == BATCH else {"phoneNumber": number, "voiceId": VOICE_ID}
    client.open(path, method=method, data=json.dumps(body), headers=AUTH if token else {})


@given(requests=REQUESTS, filters=FILTERS, limit=st.integers(1, 5))
def test_filters_select_exactly_the_matching_entries(requests: list, filters: dict, limit: int) -> None:
    client = create_app(Settings(seed=2)).test_client()
    for request in requests:
        _send(client, *request)
    everything = client.get("/__admin/requests?limit=1000").get_json()["requests"]
    assert len(everything) == len(requests)
    expected = [
        e for e in everything
        if all(
            (e["phoneNumbers"].count(v) > 0) if k == "phoneNumber" else e[k] == v
            for k, v in filters.items()
        )
    ]
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    first = client.get(f"/__admin/requests?limit={limit}&{query}").get_json()
    assert first["total"] == len(expected)
    assert first["requests"] == expected[:limit]
    assert client.post("/__admin/requests/count", json=filters).get_json()["count"] == len(expected)
    seqs = [e["seq"] for e in everything]
    assert seqs == sorted(seqs, reverse=True)  # newest first
