"""Rate limits refill on real time, whatever the emulator's clock: on a manual clock a 429 with
`Retry-After: 1` is a 200 one real second later, and moving the emulator's clock refills nothing.
The machine's time is a fake clock moved by the test (no sleeping)."""

from __future__ import annotations

from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.domain.clock import FixedClock, SystemClock
from bitel_mock.settings import Settings
from bitel_mock.store import MemoryStore
from bitel_mock.toolkit.ratelimit import LimitConfig, RateLimit, RateLimiter
from tests.toolkit.conftest import AUTH

STATUS = "/api/v2/voice/status/unknown"
WALL = 1_800_000_000.0
START = 1_700_000_000


def _manual_clock_app(wall: FixedClock, rate: str = "1/1") -> FlaskClient:
    settings = Settings(clock="manual", start_time=START, rate_limit=RateLimit.parse(rate))
    return create_app(settings, clock=wall).test_client()


def test_on_a_manual_clock_retry_after_one_second_is_honest() -> None:
    wall = FixedClock(WALL)
    client = _manual_clock_app(wall)
    assert client.get(STATUS, headers=AUTH).status_code == 404
    refused = client.get(STATUS, headers=AUTH)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "1")
    wall.set(WALL + 1)
    assert client.get(STATUS, headers=AUTH).status_code == 404


def test_moving_the_emulators_clock_refills_nothing() -> None:
    wall = FixedClock(WALL)
    client = _manual_clock_app(wall)
    assert client.get(STATUS, headers=AUTH).status_code == 404
    assert client.post("/__admin/clock/advance", json={"seconds": 3600}).status_code == 200
    refused = client.get(STATUS, headers=AUTH)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "1")


def test_less_than_the_wait_of_real_time_is_still_refused() -> None:
    wall = FixedClock(WALL)
    client = _manual_clock_app(wall, "0.5/1")
    assert client.get(STATUS, headers=AUTH).status_code == 404
    assert client.get(STATUS, headers=AUTH).headers["Retry-After"] == "2"
    wall.set(WALL + 1.5)
    assert client.get(STATUS, headers=AUTH).headers["Retry-After"] == "1"
    wall.set(WALL + 2)
    assert client.get(STATUS, headers=AUTH).status_code == 404


def test_the_limiter_reads_the_machines_time_by_default() -> None:
    limiter = RateLimiter(
        store=MemoryStore(), defaults=LimitConfig(), is_waiting=lambda call_id: False
    )
    assert isinstance(limiter.wall, SystemClock)
