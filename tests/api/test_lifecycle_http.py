"""A call's life through the public HTTP API, with the manual clock: no sleeps."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import AUTH, VOICE_ID

START = 1_700_000_000
FOUR_HOURS = 4 * 3600


@pytest.fixture
def manual() -> FlaskClient:
    return create_app(Settings(seed=3, clock="manual", start_time=START)).test_client()


def place(client: FlaskClient, numbers: list[str], retry_count: int = 1, path: str = "/api/v2/voice/batch", **extra: Any) -> list[dict[str, Any]]:
    body = {"phoneNumbers": numbers, "voiceId": VOICE_ID, "retryCount": retry_count, **extra}
    response = client.post(path, json=body, headers=AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def status(client: FlaskClient, call_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)
    assert response.status_code == 200
    return response.get_json()["result"]


def advance(client: FlaskClient, seconds: int) -> dict[str, Any]:
    response = client.post("/__admin/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def admin_call(client: FlaskClient, call_id: str) -> dict[str, Any]:
    calls = client.get("/__admin/calls").get_json()["calls"]
    return next(call for call in calls if call["id"] == call_id)


def test_the_walkthrough_batch(manual: FlaskClient) -> None:
    """A batch to 09990000001, 09990000002 and 09990000201 (retryCount 2), then an advance."""
    normal, no_answer, busy_twice = place(manual, ["09990000001", "09990000002", "09990000201"], retry_count=2)
    assert all(status(manual, r["id"])["status"] == "WAITING" for r in (normal, no_answer, busy_twice))
    advance(manual, 3600)
    first, second, third = (status(manual, r["id"]) for r in (normal, no_answer, busy_twice))
    assert (first["status"], first["statusCode"]) == ("NORMAL", 1)
    assert first["billSec"] > 0 and first["price"] == -round(first["billSec"] * 2.85, 2) < 0
    assert first["executionDate"] >= first["requestDate"] == START
    assert (second["status"], second["statusCode"], second["billSec"], second["price"]) == ("NO_ANSWER", 2, 0, 0.0)
    assert [a["outcome"] for a in admin_call(manual, no_answer["id"])["plan"]["attempts"]] == ["NO_ANSWER"] * 3
    assert third["status"] == "NORMAL"
    assert [a["outcome"] for a in admin_call(manual, busy_twice["id"])["plan"]["attempts"]] == ["USER_BUSY", "USER_BUSY", "NORMAL"]


@pytest.mark.parametrize(
    "number, retry_count, final, code, attempts",
    [
        ("09990000001", 1, "NORMAL", 1, 1),
        ("09990000002", 1, "NO_ANSWER", 2, 2),
        ("09990000003", 3, "USER_BUSY", 3, 4),
        ("09990000010", 1, "EXPIRED", 10, 0),
        ("09990000011", 3, "ERROR", 11, 1),
        ("09990000020", 3, "UNKNOWN", 20, 1),
        ("09990000201", 1, "USER_BUSY", 3, 2),
        ("09990000201", 2, "NORMAL", 1, 3),
        ("09990000310", 5, "EXPIRED", 10, 3),
        ("09990000111", 0, "USER_BUSY", 3, 1),
    ],
)
def test_every_magic_number(manual: FlaskClient, number: str, retry_count: int, final: str, code: int, attempts: int) -> None:
    [record] = place(manual, [number], retry_count)
    plan = admin_call(manual, record["id"])["plan"]
    assert len(plan["attempts"]) == attempts
    # One second before the final moment it is still WAITING; at it, final; then never changes.
    advance(manual, plan["finalAt"] - START - 1)
    assert status(manual, record["id"])["status"] == "WAITING"
    advance(manual, 1)
    done = status(manual, record["id"])
    assert (done["status"], done["statusCode"]) == (final, code)
    advance(manual, FOUR_HOURS)
    assert status(manual, record["id"]) == done
    if final == "EXPIRED":
        assert done["executionDate"] == START + FOUR_HOURS and done["billSec"] == 0


def test_a_scenario_rule_for_a_number(manual: FlaskClient) -> None:
    rule = {"number": "09121111111", "attempts": ["USER_BUSY", {"status": "NORMAL", "talkSeconds": 30}]}
    created = manual.post("/__admin/scenarios", json=rule)
    assert created.status_code == 201
    assert created.get_json()["number"] == "09121111111"
    [record, other] = place(manual, ["09121111111", "09122222222"], retry_count=1)
    advance(manual, FOUR_HOURS)
    done = status(manual, record["id"])
    assert (done["status"], done["billSec"], done["price"]) == ("NORMAL", 30, -85.5)
    assert [a["outcome"] for a in admin_call(manual, record["id"])["plan"]["attempts"]] == ["USER_BUSY", "NORMAL"]
    assert status(manual, other["id"])["billSec"] == 20  # the default talk time


def test_a_scenario_rule_by_pattern_the_last_attempt_repeats(manual: FlaskClient) -> None:
    manual.post("/__admin/scenarios", json={"pattern": "^0935", "attempts": ["NO_ANSWER"]})
    [record] = place(manual, ["09350000000"], retry_count=4)
    advance(manual, FOUR_HOURS)
    assert status(manual, record["id"])["status"] == "NO_ANSWER"
    assert len(admin_call(manual, record["id"])["plan"]["attempts"]) == 5


def test_rules_win_over_magic_numbers(manual: FlaskClient) -> None:
    manual.post("/__admin/scenarios", json={"number": "09990000001", "attempts": ["ERROR"]})
    [record] = place(manual, ["09990000001"])
    advance(manual, FOUR_HOURS)
    assert status(manual, record["id"])["status"] == "ERROR"


def test_rules_apply_to_calls_accepted_after_them_only(manual: FlaskClient) -> None:
    [before] = place(manual, ["09121111111"])
    manual.post("/__admin/scenarios", json={"number": "09121111111", "attempts": ["ERROR"]})
    advance(manual, FOUR_HOURS)
    assert status(manual, before["id"])["status"] == "NORMAL"


def test_scenarios_are_listed_deleted_and_cleared(manual: FlaskClient) -> None:
    a = manual.post("/__admin/scenarios", json={"number": "09121111111", "attempts": ["ERROR"]}).get_json()
    manual.post("/__admin/scenarios", json={"pattern": "^09", "attempts": ["NORMAL"]})
    listed = manual.get("/__admin/scenarios").get_json()["scenarios"]
    assert [r["attempts"] for r in listed] == [[{"status": "ERROR"}], [{"status": "NORMAL"}]]
    assert listed[0]["id"] == a["id"]
    assert manual.delete(f"/__admin/scenarios/{a['id']}").get_json() == {"deleted": 1}
    assert manual.delete(f"/__admin/scenarios/{a['id']}").status_code == 404
    assert manual.delete("/__admin/scenarios").get_json() == {"deleted": 1}
    assert manual.get("/__admin/scenarios").get_json() == {"scenarios": []}


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"attempts": ["NORMAL"]},
        {"number": "09121111111", "pattern": "^0", "attempts": ["NORMAL"]},
        {"number": "09121111111", "attempts": []},
        {"number": "09121111111", "attempts": ["WAITING"]},
        {"number": "09121111111", "attempts": [{"status": "NORMAL", "talkSeconds": 0}]},
        {"number": "09121111111", "attempts": [{"status": "NORMAL", "extra": 1}]},
        {"number": "12345", "attempts": ["NORMAL"]},
        {"pattern": "(", "attempts": ["NORMAL"]},
        [],
    ],
)
def test_bad_rules_are_a_clear_400_and_change_nothing(manual: FlaskClient, rule: Any) -> None:
    response = manual.post("/__admin/scenarios", json=rule)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "InvalidRequest" and body["message"]
    assert manual.get("/__admin/scenarios").get_json() == {"scenarios": []}


def test_the_manual_clock_moves_only_when_told(manual: FlaskClient) -> None:
    assert manual.get("/__admin/clock").get_json() == {"now": START, "mode": "manual"}
    assert advance(manual, 90) == {"now": START + 90, "mode": "manual", "webhookAttempts": 0}
    assert manual.post("/__admin/clock/set", json={"now": START + 1000}).get_json()["now"] == START + 1000
    backwards = manual.post("/__admin/clock/set", json={"now": START})
    assert backwards.status_code == 409 and backwards.get_json()["error"] == "ClockBackwards"
    for bad in ({"seconds": -1}, {"seconds": 1.5}, {"seconds": "1"}, {}, {"seconds": True}):
        assert manual.post("/__admin/clock/advance", json=bad).status_code == 400
    assert manual.get("/__admin/clock").get_json()["now"] == START + 1000
    assert manual.get("/__admin/health").get_json()["clock"] == {"now": START + 1000, "mode": "manual"}


def test_requests_are_dated_by_the_emulator_clock(manual: FlaskClient) -> None:
    advance(manual, 500)
    [record] = place(manual, ["09120000000"])
    assert record["requestDate"] == START + 500


def test_the_real_clock_can_be_offset() -> None:
    client = create_app(Settings()).test_client()
    before = client.get("/__admin/clock").get_json()
    assert before["mode"] == "real"
    after = client.post("/__admin/clock/advance", json={"seconds": 7200}).get_json()
    assert after["now"] >= before["now"] + 7200


def test_reset_forgets_calls_rules_and_clock_offset(manual: FlaskClient) -> None:
    [record] = place(manual, ["09120000000"])
    manual.post("/__admin/scenarios", json={"pattern": "^09", "attempts": ["ERROR"]})
    advance(manual, 100)
    assert manual.post("/__admin/reset").get_json() == {"reset": True}
    assert manual.get(f"/api/v2/voice/status/{record['id']}", headers=AUTH).status_code == 404
    assert manual.get("/__admin/scenarios").get_json() == {"scenarios": []}
    assert manual.get("/__admin/clock").get_json()["now"] == START
    [again] = place(manual, ["09120000000"])
    assert again["id"] != record["id"], "ids are never reused"


def test_admin_calls_filters_by_number_and_status(manual: FlaskClient) -> None:
    place(manual, ["09990000001", "09990000002"])
    advance(manual, 40)
    by_status = manual.get("/__admin/calls?status=NORMAL").get_json()
    assert by_status["total"] == 1 and by_status["calls"][0]["phoneNumber"] == "09990000001"
    assert manual.get("/__admin/calls?number=09990000002").get_json()["total"] == 1
    assert manual.get("/__admin/calls?status=BOGUS").status_code == 400
    assert manual.get("/__admin/calls?limit=0").status_code == 400
    page = manual.get("/__admin/calls?limit=1&offset=1").get_json()
    assert page["total"] == 2 and page["calls"][0]["phoneNumber"] == "09990000001"


def test_a_seeded_distribution_is_reproducible() -> None:
    def outcomes() -> list[str]:
        client = create_app(Settings(seed=11, clock="manual", start_time=START, outcomes=_weights())).test_client()
        records = place(client, ["09120000000"] * 50, retry_count=2)
        advance(client, FOUR_HOURS)
        return [status(client, r["id"])["status"] for r in records]

    first = outcomes()
    assert first == outcomes()
    assert {"NORMAL", "NO_ANSWER", "USER_BUSY"} >= set(first) and len(set(first)) > 1


def _weights():
    from bitel_mock.domain.outcomes import Distribution

    return Distribution.parse("NORMAL=0.4,NO_ANSWER=0.3,USER_BUSY=0.3")


OTHER_ENDPOINTS = [
    ("/api/v2/voice/single", {"phoneNumber": "09990000001", "voiceId": VOICE_ID}, 20),
    ("/api/v2/voice/single/tts", {"phoneNumber": "09990000001", "text": "x" * 30}, 3),
    ("/api/v2/voice/otp", {"phoneNumber": "09990000001", "text": "1234"}, 10),
    ("/api/v2/voice/otp", {"phoneNumber": "09990000001", "text": "1234", "repeatCount": "3", "voiceId": VOICE_ID}, 18),
    ("/api/v2/voice/otp", {"phoneNumber": "09990000001", "text": "12", "repeatCount": 1}, 3),
]


@pytest.mark.parametrize("path, body, bill_sec", OTHER_ENDPOINTS)
def test_every_single_number_endpoint_lives_and_bills(manual: FlaskClient, path: str, body: dict[str, Any], bill_sec: int) -> None:
    response = manual.post(path, json=body, headers=AUTH)
    assert response.status_code == 200
    record = response.get_json()["result"]
    assert record["status"] == "WAITING" and record["phoneNumber"] == body["phoneNumber"]
    advance(manual, FOUR_HOURS)
    done = status(manual, record["id"])
    assert (done["status"], done["billSec"]) == ("NORMAL", bill_sec)


def test_batch_tts_places_one_call_per_number(manual: FlaskClient) -> None:
    response = manual.post("/api/v2/voice/batch/tts", json={"phoneNumbers": ["09990000001", "09990000002"], "text": "سلام"}, headers=AUTH)
    assert response.status_code == 200
    assert [r["phoneNumber"] for r in response.get_json()["result"]] == ["09990000001", "09990000002"]


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v2/voice/otp", {"phoneNumber": "09120000000", "text": "123456"}),
        ("/api/v2/voice/otp", {"phoneNumber": "09120000000", "text": "12a4"}),
        ("/api/v2/voice/otp", {"phoneNumber": "09120000000", "text": ""}),
        ("/api/v2/voice/otp", {"phoneNumber": "09120000000", "text": 1234}),
        ("/api/v2/voice/otp", {"phoneNumber": "09120000000", "text": "1234", "repeatCount": "x"}),
        ("/api/v2/voice/otp", {"phoneNumber": "09120000000", "text": "1234", "repeatCount": 0}),
        ("/api/v2/voice/single", {"phoneNumber": "09120000000"}),
        ("/api/v2/voice/single", {"phoneNumbers": ["09120000000"], "voiceId": VOICE_ID}),
        ("/api/v2/voice/single/tts", {"phoneNumber": "09120000000", "text": ""}),
        ("/api/v2/voice/batch/tts", {"phoneNumbers": ["09120000000"] * 101, "text": "hi"}),
    ],
)
def test_other_endpoints_refuse_invalid_requests(manual: FlaskClient, path: str, body: dict[str, Any]) -> None:
    response = manual.post(path, json=body, headers=AUTH)
    assert (response.status_code, response.get_json()) == (400, {"result": None, "error": "InvalidRequest"})
    assert manual.get("/__admin/health").get_json()["calls"] == 0


@pytest.mark.parametrize("call_id", ["755021ff3bfd4669af3145b285297756", "x", "0" * 32, "A" * 32, "%20", "1" * 200])
def test_unknown_ids_are_not_found(manual: FlaskClient, call_id: str) -> None:
    response = manual.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)
    assert (response.status_code, response.get_json()) == (404, {"result": None, "error": "NotFound"})
