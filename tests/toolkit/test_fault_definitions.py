"""Installing, listing and removing faults; matching, uses, probability; strict validation."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.pytest_plugin import BitelMock
from bitel_mock.settings import Settings
from bitel_mock.store import MemoryStore
from bitel_mock.toolkit.faults import FaultBook, RequestFacts, parse_fault
from bitel_mock.toolkit.wire import DELAY_HEADER, DROP_HEADER, DROP_VALUE
from tests.toolkit.conftest import AUTH, BATCH, NUMBER, SINGLE, SINGLE_BODY, TOKEN, VOICE_ID


def place(client: FlaskClient, body: dict = SINGLE_BODY, headers: dict = AUTH, path: str = SINGLE):
    return client.post(path, json=body, headers=headers)


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ([], "(body)"),
        ({}, "kind"),
        ({"kind": "explode"}, "kind"),
        ({"kind": "drop", "colour": "red"}, "colour"),
        ({"kind": "drop", "times": 0}, "times"),
        ({"kind": "drop", "times": 1.5}, "times"),
        ({"kind": "drop", "times": True}, "times"),
        ({"kind": "drop", "probability": 1.5}, "probability"),
        ({"kind": "drop", "probability": 0}, "probability"),
        ({"kind": "drop", "method": "FETCH"}, "method"),
        ({"kind": "drop", "path": "api/v2"}, "path"),
        ({"kind": "drop", "path": "/__admin/health"}, "path"),
        ({"kind": "drop", "path": "/a", "pathPattern": "/a"}, "pathPattern"),
        ({"kind": "drop", "pathPattern": "("}, "pathPattern"),
        ({"kind": "drop", "phoneNumber": 912}, "phoneNumber"),
        ({"kind": "drop", "seconds": 1}, "seconds"),
        ({"kind": "delay"}, "seconds"),
        ({"kind": "delay", "seconds": 61}, "seconds"),
        ({"kind": "delay", "seconds": -1}, "seconds"),
        ({"kind": "delay", "minSeconds": 2}, "seconds"),
        ({"kind": "delay", "minSeconds": 3, "maxSeconds": 2}, "minSeconds"),
        ({"kind": "delay", "seconds": 1, "maxSeconds": 2}, "seconds"),
        ({"kind": "status"}, "status"),
        ({"kind": "status", "status": 200}, "status"),
        ({"kind": "status", "status": 503, "error": "no spaces"}, "error"),
        ({"kind": "status", "status": 503, "body": "empty"}, "body"),
        ({"kind": "malformed", "body": "gzip"}, "body"),
    ],
)
def test_bad_definitions_are_a_400_naming_the_field(bitel_mock: BitelMock, definition: object, field: str) -> None:
    response = bitel_mock.client.post("/__admin/faults", json=definition)
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["error"] == "InvalidRequest"
    assert body["message"].startswith(f"{field}:")
    assert bitel_mock.faults() == []


def test_a_body_that_is_not_json_is_a_400(bitel_mock: BitelMock) -> None:
    response = bitel_mock.client.post("/__admin/faults", data="{", content_type="application/json")
    assert response.status_code == 400 and set(response.get_json()) == {"error", "message"}


def test_list_shows_remaining_uses_and_they_count_down(bitel_mock: BitelMock) -> None:
    fault = bitel_mock.add_fault("status", path=SINGLE, status=500, times=2)
    assert fault["remaining"] == 2
    assert place(bitel_mock.client).status_code == 500
    [listed] = bitel_mock.faults()
    assert (listed["id"], listed["remaining"], listed["hits"]) == (fault["id"], 1, 1)
    assert place(bitel_mock.client).status_code == 500
    assert bitel_mock.faults() == []
    assert place(bitel_mock.client).status_code == 200


def test_without_times_a_fault_stays(bitel_mock: BitelMock) -> None:
    bitel_mock.add_fault("status", status=503)
    assert [place(bitel_mock.client).status_code for _ in range(3)] == [503, 503, 503]
    assert bitel_mock.faults()[0]["remaining"] is None


def test_delete_one_and_delete_all(bitel_mock: BitelMock) -> None:
    first = bitel_mock.add_fault("drop", path="/a")
    second = bitel_mock.add_fault("drop", path="/b")
    assert bitel_mock.client.delete(f"/__admin/faults/{first['id']}").status_code == 200
    assert [f["id"] for f in bitel_mock.faults()] == [second["id"]]
    missing = bitel_mock.client.delete(f"/__admin/faults/{first['id']}")
    assert missing.status_code == 404 and missing.get_json()["error"] == "NotFound"
    bitel_mock.clear_faults()
    assert bitel_mock.faults() == []


def test_matches_on_method_path_number_and_token(bitel_mock: BitelMock) -> None:
    bitel_mock.add_fault("status", method="POST", path=SINGLE, phoneNumber="09350000000", status=503)
    bitel_mock.add_fault("status", pathPattern=r"/api/v2/voice/status/.*", token="other-token", status=504)
    assert place(bitel_mock.client).status_code == 200  # another number
    assert place(bitel_mock.client, {**SINGLE_BODY, "phoneNumber": "09350000000"}).status_code == 503
    batch = {"phoneNumbers": [NUMBER, "09350000000"], "voiceId": VOICE_ID}
    assert place(bitel_mock.client, batch, path=BATCH).status_code == 200  # another path
    assert bitel_mock.client.get("/api/v2/voice/status/x", headers=AUTH).status_code == 404
    other = {"Authorization": "Bearer other-token"}
    assert bitel_mock.client.get("/api/v2/voice/status/x", headers=other).status_code == 504


def test_a_fault_never_keeps_its_token(bitel_mock: BitelMock) -> None:
    bitel_mock.add_fault("drop", token=TOKEN)
    text = bitel_mock.client.get("/__admin/faults").get_data(as_text=True)
    assert TOKEN not in text and TOKEN[:4] + "…" in text


def test_drop_without_a_socket_answers_the_marker(bitel_mock: BitelMock) -> None:
    bitel_mock.add_fault("drop", times=1)
    response = place(bitel_mock.client)
    assert response.headers[DROP_HEADER] == DROP_VALUE
    assert response.get_data() == b""
    assert bitel_mock.admin("GET", "/health")["calls"] == 0


def _pattern(seed: int, fault: dict, requests: int = 40) -> list[int]:
    client = create_app(Settings(seed=seed)).test_client()
    client.post("/__admin/faults", json=fault)
    return [place(client).status_code for _ in range(requests)]


def test_probability_is_reproducible_under_a_seed() -> None:
    fault = {"kind": "status", "status": 503, "probability": 0.5}
    pattern = _pattern(7, fault)
    assert pattern == _pattern(7, fault)
    assert {200, 503} == set(pattern)  # some fire, some do not
    assert pattern != _pattern(8, fault)


def test_probability_and_times_together_use_up_only_fired_requests() -> None:
    pattern = _pattern(3, {"kind": "status", "status": 503, "probability": 0.5, "times": 3})
    assert pattern.count(503) == 3


def test_random_delays_are_within_bounds_and_reproducible() -> None:
    def delays(seed: int) -> list[float]:
        store = MemoryStore()
        book = FaultBook(store, seed)
        book.add({"kind": "delay", "minSeconds": 0.5, "maxSeconds": 2})
        facts = RequestFacts("GET", "/x", [], None)
        return [book.fire(facts).delay for _ in range(20)]  # type: ignore[union-attr]

    first = delays(1)
    assert first == delays(1) and first != delays(2)
    assert all(0.5 <= d <= 2 for d in first) and len(set(first)) > 1


def test_oldest_matching_fault_fires_first() -> None:
    fault = parse_fault({"kind": "status", "status": 500})
    store = MemoryStore()
    store.add_fault(fault)
    store.add_fault({**fault, "status": 501})
    fired = FaultBook(store, 0).fire(RequestFacts("GET", "/", [], None))
    assert fired is not None and fired.fault["status"] == 500


def test_delay_without_a_socket_is_announced_not_slept(bitel_mock: BitelMock) -> None:
    bitel_mock.add_fault("delay", seconds=42, times=1)
    response = place(bitel_mock.client)
    assert response.status_code == 200 and response.headers[DELAY_HEADER] == "42.000"
    assert bitel_mock.admin("GET", "/health")["calls"] == 1  # a delayed answer still places the call
    assert DELAY_HEADER not in place(bitel_mock.client).headers


def test_an_emulator_reset_forgets_journal_faults_and_run_time_limits(bitel_mock: BitelMock) -> None:
    place(bitel_mock.client)
    bitel_mock.add_fault("drop", path="/x")
    bitel_mock.set_rate_limit(rps=1)
    bitel_mock.emulator.reset()
    assert bitel_mock.requests() == [] and bitel_mock.faults() == []
    assert bitel_mock.admin("GET", "/rate-limit")["rps"] is None
