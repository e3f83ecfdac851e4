"""The toolkit together with the call lifecycle: the manual clock, scenarios, calls, reset.

These use the control plane's clock, scenarios, calls and reset endpoints.
"""

from __future__ import annotations

import dataclasses

from bitel_mock.app import create_app
from bitel_mock.pytest_plugin import BitelMock, default_settings
from tests.toolkit.conftest import AUTH, NUMBER, SINGLE, SINGLE_BODY

STATUS = "/api/v2/voice/status/unknown"


def test_the_fixture_runs_on_a_manual_clock(bitel_mock: BitelMock) -> None:
    before = bitel_mock.admin("GET", "/clock")
    assert before["mode"] == "manual"
    bitel_mock.advance(30)
    assert bitel_mock.admin("GET", "/clock")["now"] == before["now"] + 30


def test_journal_times_come_from_the_emulator_clock(bitel_mock: BitelMock) -> None:
    bitel_mock.advance(1234)
    bitel_mock.client.get("/missing")
    [entry] = bitel_mock.requests()
    assert entry["time"] == bitel_mock.admin("GET", "/clock")["now"]


def test_set_outcome_then_advance_ends_the_call(bitel_mock: BitelMock) -> None:
    bitel_mock.set_outcome(NUMBER, {"status": "NORMAL", "talkSeconds": 30})
    assert bitel_mock.client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 200
    bitel_mock.advance(3600)
    [call] = bitel_mock.calls(number=NUMBER)
    assert call["record"]["status"] == "NORMAL"


def test_reset_forgets_journal_faults_limits_and_calls(bitel_mock: BitelMock) -> None:
    bitel_mock.client.post(SINGLE, json=SINGLE_BODY, headers=AUTH)
    bitel_mock.add_fault("drop", path="/x")
    bitel_mock.set_rate_limit(rps=1)
    bitel_mock.reset()
    assert bitel_mock.requests() == [] and bitel_mock.faults() == [] and bitel_mock.calls() == []
    assert bitel_mock.admin("GET", "/rate-limit")["rps"] is None


def test_moving_the_admin_clock_brings_no_token_back(bitel_mock: BitelMock) -> None:
    # Rate limits refill on real time (tests/toolkit/test_rate_limit_real_time.py): one token
    # per 100 real seconds, so none comes back while this test runs.
    bitel_mock.set_rate_limit(rps=0.01, burst=1)
    client = bitel_mock.client
    assert [client.get(STATUS, headers=AUTH).status_code for _ in range(2)] == [404, 429]
    bitel_mock.advance(3600)
    assert client.get(STATUS, headers=AUTH).status_code == 429


def test_the_waiting_cap_frees_up_when_a_call_ends() -> None:
    bitel_mock = BitelMock(create_app(dataclasses.replace(default_settings(), max_waiting=1)))
    bitel_mock.set_outcome(NUMBER, {"status": "NORMAL", "talkSeconds": 5})
    client = bitel_mock.client
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 200
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 429
    bitel_mock.advance(3600)
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 200
