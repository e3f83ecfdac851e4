"""Rate limits per token: 429 in the envelope with Retry-After, on the emulator clock."""

from __future__ import annotations

import pytest
import requests

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.cli import CliError, build_parser, settings_from
from bitel_mock.domain.clock import FixedClock
from bitel_mock.pytest_plugin import BitelMock
from bitel_mock.settings import Settings
from bitel_mock.toolkit.ratelimit import RateLimit
from tests.toolkit.conftest import AUTH, BATCH, NUMBER, SINGLE, SINGLE_BODY, VOICE_ID

STATUS = "/api/v2/voice/status/unknown"


def limited(rate: str, clock: FixedClock, **extra: object):
    return create_app(Settings(rate_limit=RateLimit.parse(rate), **extra), clock=clock).test_client()


def test_off_by_default(bitel_mock: BitelMock) -> None:
    assert {bitel_mock.client.get(STATUS, headers=AUTH).status_code for _ in range(50)} == {404}
    assert bitel_mock.admin("GET", "/rate-limit") == {"rps": None, "burst": None, "maxWaiting": None}


def test_over_the_burst_is_429_with_retry_after_until_the_clock_moves() -> None:
    clock = FixedClock(1000.0)
    client = limited("0.5/2", clock)
    assert [client.get(STATUS, headers=AUTH).status_code for _ in range(2)] == [404, 404]
    refused = client.get(STATUS, headers=AUTH)
    assert refused.status_code == 429
    assert refused.get_json() == {"result": None, "error": "TooManyRequests"}
    assert refused.headers["Retry-After"] == "2"
    contracts.validator("error-envelope").validate(refused.get_json())
    clock.set(1001.0)
    assert client.get(STATUS, headers=AUTH).headers["Retry-After"] == "1"
    clock.set(1002.0)
    assert client.get(STATUS, headers=AUTH).status_code == 404


def test_each_token_has_its_own_bucket() -> None:
    client = limited("1", FixedClock(0.0))
    assert client.get(STATUS, headers=AUTH).status_code == 404
    assert client.get(STATUS, headers=AUTH).status_code == 429
    assert client.get(STATUS, headers={"Authorization": "Bearer another"}).status_code == 404


def test_a_refused_request_places_nothing() -> None:
    client = limited("1", FixedClock(0.0))
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 200
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 429
    assert client.get("/__admin/health").get_json()["calls"] == 1


def test_waiting_cap_counts_the_calls_of_the_token() -> None:
    client = create_app(Settings(max_waiting=3)).test_client()
    batch = {"phoneNumbers": [NUMBER, NUMBER], "voiceId": VOICE_ID}
    assert client.post(BATCH, json=batch, headers=AUTH).status_code == 200
    refused = client.post(BATCH, json=batch, headers=AUTH)  # 2 WAITING + 2 > 3
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 200  # 3
    assert client.post(SINGLE, json=SINGLE_BODY, headers=AUTH).status_code == 429
    assert client.get(STATUS, headers=AUTH).status_code == 404  # reading is not placing
    other = {"Authorization": "Bearer another"}
    assert client.post(SINGLE, json=SINGLE_BODY, headers=other).status_code == 200


def test_limits_set_at_run_time(bitel_mock: BitelMock) -> None:
    assert bitel_mock.set_rate_limit(rps=1, burst=1) == {"rps": 1.0, "burst": 1, "maxWaiting": None}
    client = bitel_mock.client
    assert [client.get(STATUS, headers=AUTH).status_code for _ in range(2)] == [404, 429]
    assert bitel_mock.admin("DELETE", "/rate-limit") == {"rps": None, "burst": None, "maxWaiting": None}
    assert client.get(STATUS, headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({"rps": 0}, "rps"), ({"rps": "5"}, "rps"), ({"burst": 3}, "burst"), ({"rps": 1, "burst": 0}, "burst"),
     ({"maxWaiting": 0}, "maxWaiting"), ({"rps": 1, "speed": 2}, "speed")],
)
def test_bad_limits_are_a_400_naming_the_field(bitel_mock: BitelMock, body: dict, field: str) -> None:
    response = bitel_mock.client.put("/__admin/rate-limit", json=body)
    assert response.status_code == 400 and response.get_json()["message"].startswith(f"{field}:")


def test_429_over_a_real_socket(bitel_mock_server: BitelMock) -> None:
    bitel_mock_server.set_rate_limit(rps=0.01, burst=1)
    url = bitel_mock_server.url + STATUS
    assert requests.get(url, headers=AUTH, timeout=10).status_code == 404
    refused = requests.get(url, headers=AUTH, timeout=10)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json() == {"result": None, "error": "TooManyRequests"}


def test_cli_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(*argv: str) -> Settings:
        return settings_from(build_parser().parse_args(["serve", *argv]))

    s = parse("--rate-limit", "5/10", "--max-waiting", "7", "--journal-size", "20")
    assert (s.rate_limit, s.max_waiting, s.journal_size) == (RateLimit(5.0, 10), 7, 20)
    assert parse("--rate-limit", "2.5").rate_limit == RateLimit(2.5, 3)
    monkeypatch.setenv("BITEL_MOCK_RATE_LIMIT", "3")
    monkeypatch.setenv("BITEL_MOCK_MAX_WAITING", "4")
    monkeypatch.setenv("BITEL_MOCK_JOURNAL_SIZE", "5")
    s = parse()
    assert (s.rate_limit, s.max_waiting, s.journal_size) == (RateLimit(3.0, 3), 4, 5)
    for bad in (["--rate-limit", "fast"], ["--rate-limit", "0"], ["--rate-limit", "1/0"], ["--max-waiting", "0"]):
        with pytest.raises(CliError):
            parse(*bad)


def test_the_contract_documents_429_on_every_operation() -> None:
    spec = contracts.openapi()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], f"{method} {path}"
    assert "Retry-After" in spec["components"]["responses"]["TooManyRequests"]["headers"]
