"""The pytest plugin as a user meets it: a test file in a fresh project, run by pytester."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bitel_mock.app import create_app
from bitel_mock.domain.phone import NumberForm
from bitel_mock.pytest_plugin import BitelMock
from bitel_mock.settings import Settings
from tests.toolkit.conftest import AUTH, SINGLE, SINGLE_BODY

pytest_plugins = ["pytester"]

USER_TESTS = '''
import requests

BODY = {"phoneNumber": "09121234567", "voiceId": "08e815cbcd724386805103ac0d45e4c2"}
AUTH = {"Authorization": "Bearer my-token"}


def test_places_a_call_in_process(bitel_mock):
    response = bitel_mock.client.post("/api/v2/voice/single", json=BODY, headers=AUTH)
    assert response.status_code == 200
    bitel_mock.assert_called("/api/v2/voice/single", times=1, body_contains={"phoneNumber": "09121234567"})


def test_the_next_test_sees_nothing_of_the_last(bitel_mock):
    assert bitel_mock.requests() == []
    assert bitel_mock.admin("GET", "/health")["calls"] == 0


def test_a_live_server_for_code_that_needs_a_url(bitel_mock_server):
    bitel_mock_server.add_fault("status", path="/api/v2/voice/single", status=503, times=1)
    first = requests.post(bitel_mock_server.url + "/api/v2/voice/single", json=BODY, headers=AUTH, timeout=10)
    second = requests.post(bitel_mock_server.url + "/api/v2/voice/single", json=BODY, headers=AUTH, timeout=10)
    assert (first.status_code, second.status_code) == (503, 200)
    bitel_mock_server.assert_called("/api/v2/voice/single", times=2)
'''


def test_a_users_tests_get_the_fixtures_from_the_installed_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TESTS)
    # A separate process, as a user's run: the fixtures come from the pytest11 entry point alone.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["plugins:*bitel-mock*"])


def test_a_failed_assert_called_shows_what_was_received(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_user='''
def test_wrong_number(bitel_mock):
    bitel_mock.client.post(
        "/api/v2/voice/single",
        json={"phoneNumber": "09121234567", "voiceId": "v", "retryCount": 2},
        headers={"Authorization": "Bearer t"},
    )
    bitel_mock.assert_called("/api/v2/voice/single", times=1, body_contains={"phoneNumber": "09350000000"})


def test_wrong_path(bitel_mock):
    bitel_mock.client.get("/api/v2/voice/status/abc", headers={"Authorization": "Bearer t"})
    bitel_mock.assert_called("/api/v2/voice/batch")
'''
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*expected 1 request(s) to any method /api/v2/voice/single with a body containing the expected subset; 0 matched.",
            "*- #1 POST /api/v2/voice/single -> 200",
            '*-  "phoneNumber": "09350000000"',
            '*+  "phoneNumber": "09121234567"',
            "*No request reached /api/v2/voice/batch; the emulator received: GET /api/v2/voice/status/abc.",
        ]
    )
    explanation = [line for line in result.outlines if line.startswith("E ")]
    assert explanation and not any("retryCount" in line for line in explanation)  # only the fields asked about


def test_settings_can_be_overridden_in_a_conftest(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        '''
import re
from pathlib import Path

import pytest
from bitel_mock.settings import Settings

@pytest.fixture
def bitel_mock_settings():
    return Settings(seed=1, tokens=frozenset({"only-this"}))
'''
    )
    pytester.makepyfile(
        test_user='''
def test_tokens_from_the_settings(bitel_mock):
    assert bitel_mock.client.get("/api/v2/voice/status/x", headers={"Authorization": "Bearer other"}).status_code == 401
'''
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


# --- the project's own isolation pair: the second must not see the first's call --------


def test_isolation_first_places_a_call(bitel_mock: BitelMock) -> None:
    assert bitel_mock.client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 200
    bitel_mock.add_fault("drop")
    assert bitel_mock.admin("GET", "/health")["calls"] == 1


def test_isolation_second_sees_nothing_of_the_first(bitel_mock: BitelMock) -> None:
    assert bitel_mock.admin("GET", "/health")["calls"] == 0
    assert bitel_mock.requests() == [] and bitel_mock.faults() == []


def test_helpers_raise_a_readable_error_when_the_control_plane_refuses(bitel_mock: BitelMock) -> None:
    with pytest.raises(AssertionError, match=r"POST /__admin/faults answered 400: .*kind"):
        bitel_mock.add_fault("explode")


def test_count_and_requests_helpers(bitel_mock: BitelMock) -> None:
    bitel_mock.client.post(SINGLE, json=SINGLE_BODY, headers=AUTH)
    bitel_mock.client.get("/x")
    assert bitel_mock.count(path=SINGLE, body_contains={"voiceId": SINGLE_BODY["voiceId"]}) == 1
    assert [e["path"] for e in bitel_mock.requests(status=404)] == ["/x"]
    assert [e["path"] for e in bitel_mock.requests(phone_number=SINGLE_BODY["phoneNumber"])] == [SINGLE]
    [entry] = bitel_mock.assert_called(SINGLE, body_contains={"phoneNumber": SINGLE_BODY["phoneNumber"]})
    assert entry["status"] == 200


def test_the_readme_example_runs_as_written(pytester: pytest.Pytester) -> None:
    readme = (Path(__file__).parents[2] / "docs" / "toolkit.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```python[^\n]*\n(# test_notify\.py.*?)```", readme, flags=re.S)
    pytester.makepyfile(test_notify=example)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)


def test_helpers_carry_the_admin_token_and_encode_queries() -> None:
    settings = Settings(admin_token="adm", number_forms=frozenset({NumberForm.LOCAL, NumberForm.PLUS98}))
    handle = BitelMock(create_app(settings), admin_token="adm")
    body = {"phoneNumber": "+989121234567", "voiceId": "v"}
    assert handle.client.post(SINGLE, json=body, headers=AUTH).status_code == 200
    assert [e["phoneNumbers"] for e in handle.requests(phone_number="+989121234567")] == [["+989121234567"]]
    with pytest.raises(AssertionError, match="401"):
        BitelMock(handle.app).faults()
