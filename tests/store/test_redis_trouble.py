"""Redis in trouble under a running store, on a redis-server of the test's own: killed, frozen,
restarted empty or with its data, flushed. Trouble is `StoreUnavailable` within the timeout
(2 s by default, the URL's own setting wins); a Redis that comes back empty numbers no call
again; one that comes back with its data serves again."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bitel_mock.app import create_app
from bitel_mock.domain.ids import IdCodec
from bitel_mock.settings import Settings
from bitel_mock.store.breaker import Breaker
from bitel_mock.store.errors import StoreReplaced, StoreUnavailable
from bitel_mock.store.incidents import IncidentLog
from bitel_mock.store.redis import SOCKET_TIMEOUT_SECONDS, RedisStore, redis_trouble
from tests.conftest import AUTH, VOICE_ID
from tests.store.redis_process import RedisProcess


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisProcess]:
    process = RedisProcess(tmp_path)
    process.start()
    yield process
    process.stop()


def _numbers(store: RedisStore, count: int) -> list[str]:
    first = store.allocate_sequence(count)
    ids = IdCodec(store.id_key())
    return [ids.encode(first + offset) for offset in range(count)]


def _timed_failure(store: RedisStore) -> float:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.allocate_sequence(1)
    return time.monotonic() - started


def test_a_killed_redis_is_unavailable_at_once(server: RedisProcess) -> None:
    store = RedisStore(server.url)
    _numbers(store, 3)
    server.stop()
    assert _timed_failure(store) < 1.0
    with pytest.raises(StoreUnavailable, match="Redis: Error 111"):
        store.get_call(0)
    with pytest.raises(StoreUnavailable):
        store.append_journal({"path": "/"}, 10)


def test_a_frozen_redis_is_unavailable_after_two_seconds_then_at_once(server: RedisProcess) -> None:
    assert SOCKET_TIMEOUT_SECONDS == 2.0
    store = RedisStore(server.url)
    server.freeze()
    try:
        assert 1.8 <= _timed_failure(store) < 4.0
        assert _timed_failure(store) < 0.5  # held: not waited for again at once
    finally:
        server.thaw()


def test_a_held_store_tries_again_once_the_hold_is_over(server: RedisProcess) -> None:
    now = [0.0]
    store = RedisStore(f"{server.url}?socket_timeout=0.2")
    store.breaker = Breaker(slow_seconds=0.0, monotonic=lambda: now[0])
    server.freeze()
    try:
        with pytest.raises(StoreUnavailable, match=r"Timeout reading from socket$"):
            store.count_calls()
        with pytest.raises(StoreUnavailable, match=r"socket \(not tried again for 1 s\)$"):
            store.count_calls()
    finally:
        server.thaw()
    with pytest.raises(StoreUnavailable):
        store.count_calls()  # thawed, but still held
    now[0] = 1.0
    assert store.count_calls() == 0


def test_the_url_sets_its_own_timeout(server: RedisProcess) -> None:
    store = RedisStore(f"{server.url}?socket_timeout=0.2")
    server.freeze()
    try:
        assert _timed_failure(store) < 1.5
    finally:
        server.thaw()


def test_a_redis_restarted_empty_numbers_no_call_again(server: RedisProcess) -> None:
    old = RedisStore(server.url)
    old_ids = _numbers(old, 20)
    server.stop()
    server.start()
    with pytest.raises(StoreReplaced, match="lost its identity"):
        old.allocate_sequence(1)
    new = RedisStore(server.url)  # an emulator started afresh on it
    new_ids = _numbers(new, 20)
    assert not set(new_ids) & set(old_ids)
    assert all(IdCodec(new.id_key()).decode(call_id) is None for call_id in old_ids)


def test_a_flushed_redis_numbers_no_call_again(server: RedisProcess) -> None:
    store = RedisStore(server.url)
    _numbers(store, 5)
    redis.Redis.from_url(server.url).flushall()
    with pytest.raises(StoreReplaced):
        store.allocate_sequence(1)
    with pytest.raises(StoreReplaced):
        store.get_call(0)


def test_a_redis_restarted_with_its_data_serves_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bitel_mock.store")
    server = RedisProcess(tmp_path, persistent=True)
    server.start()
    try:
        now = [0.0]
        store = RedisStore(server.url)
        store.incidents = IncidentLog(monotonic=lambda: now[0])
        first = store.allocate_sequence(3)
        server.stop()
        with pytest.raises(StoreUnavailable):
            store.allocate_sequence(1)
        server.start()
        now[0] = 11.0
        assert store.allocate_sequence(1) == first + 3  # the same state: numbering goes on
    finally:
        server.stop()
    messages = [
        record.getMessage() for record in caplog.records if record.name == "bitel_mock.store"
    ]
    assert len(messages) == 2
    assert messages[0].startswith("store unavailable: Redis: Error 111")
    assert messages[1] == "store available again (1 failures over 0 s)"


def test_over_http_a_killed_redis_is_a_503_never_a_500(server: RedisProcess) -> None:
    client = create_app(Settings(seed=5), store=RedisStore(server.url)).test_client()
    body = {"phoneNumbers": ["09120000001"], "voiceId": VOICE_ID}
    call_id = client.post("/api/v2/voice/batch", json=body, headers=AUTH).get_json()["result"][0][
        "id"
    ]
    server.stop()
    answers = [
        client.post("/api/v2/voice/batch", json=body, headers=AUTH),
        client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH),
        client.get("/__admin/requests"),
        client.post("/__admin/clock/advance", json={"seconds": 5}),
    ]
    assert [
        (a.status_code, a.headers.get("Retry-After"), a.get_json()["error"]) for a in answers
    ] == [(503, "1", "ServiceUnavailable")] * 4


@pytest.mark.parametrize(
    "error",
    [
        redis.exceptions.BusyLoadingError("Redis is loading the dataset in memory"),
        redis.exceptions.ReadOnlyError("You can't write against a read only replica."),
        redis.exceptions.OutOfMemoryError("command not allowed when used memory > 'maxmemory'."),
        redis.ResponseError(
            "MISCONF Redis is configured to save RDB snapshots, but it's currently unable"
        ),
        redis.ResponseError(
            "Command # 1 (HSET x) of pipeline caused error: MISCONF Redis is configured"
        ),
        redis.TimeoutError("Timeout reading from socket"),
    ],
)
def test_redis_trouble_is_told_apart(error: Exception) -> None:
    assert redis_trouble(error) == f"Redis: {error}"


@pytest.mark.parametrize(
    "error",
    [
        redis.ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value"),
        ValueError("x"),
    ],
)
def test_a_bug_is_no_redis_trouble(error: Exception) -> None:
    assert redis_trouble(error) is None
