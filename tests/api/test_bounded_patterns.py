"""Scenario patterns and fault path patterns over HTTP: whatever was configured, a request is
answered in milliseconds; what RE2 cannot run is a 400 that says why and changes nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, ScenarioRule
from bitel_mock.settings import Settings
from bitel_mock.store.sqlite import SqliteStore
from tests.conftest import AUTH, VOICE_ID

START = 1_700_000_000
FOUR_HOURS = 4 * 3600
NESTED = r"(\d?\d?)*(\d?\d?)*(\d?\d?)*(\d?\d?)*(\d?\d?)*(\d?\d?)*x"
NESTED_ENDING_7 = NESTED[:-1] + "7$"
NESTED_PATH = "/api/(a+)+/x"
FAST_SECONDS = 1.0
"""A generous bound for one in-process request (Python's re took 30.7 s on NESTED)."""


@pytest.fixture
def manual() -> FlaskClient:
    return create_app(Settings(seed=3, clock="manual", start_time=START)).test_client()


def place(client: FlaskClient, numbers: list[str]) -> list[dict[str, Any]]:
    body = {"phoneNumbers": numbers, "voiceId": VOICE_ID}
    response = client.post("/api/v2/voice/batch", json=body, headers=AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def final_statuses(client: FlaskClient, records: list[dict[str, Any]]) -> list[str]:
    assert client.post("/__admin/clock/advance", json={"seconds": FOUR_HOURS}).status_code == 200
    return [
        client.get(f"/api/v2/voice/status/{record['id']}", headers=AUTH).get_json()["result"]["status"]
        for record in records
    ]


def test_a_nested_quantifier_scenario_is_evaluated_in_milliseconds(manual: FlaskClient) -> None:
    for pattern, outcome in ((NESTED, "ERROR"), (NESTED_ENDING_7, "USER_BUSY")):
        response = manual.post("/__admin/scenarios", json={"pattern": pattern, "attempts": [outcome]})
        assert response.status_code == 201, response.get_json()
    numbers = [f"0912{n:07d}" for n in range(100)]  # every tenth ends in 7
    started = time.perf_counter()
    records = place(manual, numbers)
    assert time.perf_counter() - started < FAST_SECONDS
    expected = ["USER_BUSY" if number.endswith("7") else "NORMAL" for number in numbers]
    assert final_statuses(manual, records) == expected  # NESTED needs an x: it matches none


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?=0935)", "lookahead is not supported"),
        (r"^(\d)\1", "backreferences are not supported"),
        ("0{,2}935", "write {0,n}"),
    ],
)
def test_a_scenario_pattern_re2_refuses_is_a_400_that_says_why(
    manual: FlaskClient, pattern: str, reason: str
) -> None:
    response = manual.post("/__admin/scenarios", json={"pattern": pattern, "attempts": ["ERROR"]})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "InvalidRequest" and reason in body["message"]
    assert manual.get("/__admin/scenarios").get_json() == {"scenarios": []}


def test_a_nested_quantifier_fault_path_is_evaluated_in_milliseconds(manual: FlaskClient) -> None:
    fault = {"kind": "status", "status": 503, "pathPattern": NESTED_PATH}
    assert manual.post("/__admin/faults", json=fault).status_code == 201
    started = time.perf_counter()
    missed = manual.get("/api/" + "a" * 3000 + "/y", headers=AUTH)
    assert time.perf_counter() - started < FAST_SECONDS
    assert missed.status_code == 404  # the fault did not fire: the emulator's own answer
    assert manual.get("/api/aaa/x", headers=AUTH).status_code == 503
    assert manual.get("/api/aaa/x/more", headers=AUTH).status_code == 404  # the whole path


def test_a_fault_path_pattern_re2_refuses_is_a_400_that_says_why(manual: FlaskClient) -> None:
    fault = {"kind": "drop", "pathPattern": "/api/(?<=a)b"}
    response = manual.post("/__admin/faults", json=fault)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "InvalidRequest"
    assert body["message"].startswith("pathPattern: ") and "lookbehind" in body["message"]
    assert manual.get("/__admin/faults").get_json()["faults"] == []


def test_a_rule_stored_before_re2_is_listed_deletable_and_matches_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kept.sqlite3")
    legacy = ScenarioRule(id="legacy", attempts=(AttemptSpec(CallStatus.ERROR),), pattern="(?=0912)")
    store.add_scenario(legacy)
    store.add_scenario(
        ScenarioRule(id="kept", attempts=(AttemptSpec(CallStatus.NO_ANSWER),), pattern="^0935")
    )
    client = create_app(Settings(seed=3, clock="manual", start_time=START), store=store).test_client()

    records = place(client, ["09121111111", "09351111111"])
    assert final_statuses(client, records) == ["NORMAL", "NO_ANSWER"]
    listed = client.get("/__admin/scenarios").get_json()["scenarios"]
    assert [(rule["id"], rule["pattern"]) for rule in listed] == [
        ("legacy", "(?=0912)"), ("kept", "^0935")
    ]
    assert client.delete("/__admin/scenarios/legacy").get_json() == {"deleted": 1}
    store.close()
