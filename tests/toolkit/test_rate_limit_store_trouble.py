"""A rate limit fails open: while the store cannot keep its buckets (a full disk), requests go on
as if within the limit, so reads that still work are served; writes fail on their own write
(503), never with 429; once the store is back the limit holds again."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bitel_mock.app import create_app
from bitel_mock.domain.clock import FixedClock
from bitel_mock.settings import Settings
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.memory import MemoryStore
from bitel_mock.store.sqlite import SqliteStore
from bitel_mock.toolkit.ratelimit import LimitConfig, RateLimit, RateLimiter
from tests.store.sqlite_faults import failing_connection, writes
from tests.toolkit.conftest import AUTH, BATCH, NUMBER, TOKEN, VOICE_ID

BURST = 2
READS = 10
"""More reads than the burst allows: every one past BURST would be 429 if the limit held."""


def _unavailable(*_: object) -> None:
    raise StoreUnavailable("SQLite: database or disk is full")


def _limiter(store: MemoryStore, **config: object) -> RateLimiter:
    return RateLimiter(
        store=store, defaults=LimitConfig(**config), is_waiting=lambda _: True, wall=FixedClock(0.0)
    )


def test_a_bucket_that_cannot_be_written_lets_the_request_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = MemoryStore()
    limiter = _limiter(store, rate_limit=RateLimit(1.0, 1))
    assert limiter.check(TOKEN, 0) is None
    assert limiter.check(TOKEN, 0) is not None  # the bucket is empty: the limit holds
    monkeypatch.setattr(store, "take_token", _unavailable)
    assert [limiter.check(TOKEN, 0) for _ in range(READS)] == [None] * READS


def test_a_configuration_that_cannot_be_read_lets_the_request_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = MemoryStore()
    limiter = _limiter(store, rate_limit=RateLimit(1.0, 1))
    limiter.check(TOKEN, 0)
    store.set_webhook_config(None)  # the control plane changed: its state is read again
    monkeypatch.setattr(store, "rate_limit", _unavailable)
    assert limiter.check(TOKEN, 0) is None


def test_a_waiting_cap_that_cannot_be_counted_lets_the_request_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = MemoryStore()
    limiter = _limiter(store, max_waiting=1)
    limiter.placed(TOKEN, ["a"])
    assert limiter.check(TOKEN, 1) is not None  # one WAITING already: the cap holds
    monkeypatch.setattr(store, "owned_calls", _unavailable)
    assert limiter.check(TOKEN, 1) is None


def test_a_bug_in_the_store_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryStore()
    limiter = _limiter(store, rate_limit=RateLimit(1.0, 1))

    def broken(*_: object) -> None:
        raise KeyError("tokens")

    monkeypatch.setattr(store, "take_token", broken)
    with pytest.raises(KeyError):
        limiter.check(TOKEN, 0)


def test_on_a_full_disk_reads_are_served_and_writes_are_503_not_429(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bitel_mock.store")
    disk = failing_connection(writes)
    store = SqliteStore(tmp_path / "calls.sqlite3", factory=disk)
    clock = FixedClock(1_700_000_000.0)
    client = create_app(
        Settings(seed=7, rate_limit=RateLimit(0.001, BURST)), store=store, clock=clock
    ).test_client()
    batch = {"phoneNumbers": [NUMBER], "voiceId": VOICE_ID}
    call_id = client.post(BATCH, json=batch, headers=AUTH).get_json()["result"][0]["id"]
    status = f"/api/v2/voice/status/{call_id}"

    disk.failing = True
    reads = [client.get(status, headers=AUTH).status_code for _ in range(READS)]
    assert reads == [200] * READS
    refused = client.post(BATCH, json=batch, headers=AUTH)
    assert (refused.status_code, refused.get_json()["error"]) == (503, "ServiceUnavailable")
    assert store.count_calls() == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "bitel_mock.store"]
    assert lines == [
        "store unavailable: SQLite: database or disk is full; answering 503 until it is back"
    ]

    disk.failing = False  # the bucket is kept again: one token left of the burst, then 429
    assert [client.get(status, headers=AUTH).status_code for _ in range(BURST)] == [200, 429]
