"""The calls of a request and their pending webhook events are kept in one store write: both or
neither, on memory, SQLite and Redis. A failure at any step of keeping them (reading the
webhook configuration, writing the events) leaves no call behind, so a retry places each call
once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.model import Call, CallKind, CallRequest
from bitel_mock.emulator import Emulator
from bitel_mock.settings import Settings
from bitel_mock.store import Store
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.redis import RedisStore
from bitel_mock.store.sqlite import SqliteStore
from bitel_mock.webhooks.model import PendingEvent
from tests.factories import plan_for
from tests.store.conftest import STORE_KINDS
from tests.store.redis_process import RedisProcess
from tests.store.sqlite_faults import DISK_FULL, failing_connection

START = 1_700_000_000
HOOK = "http://127.0.0.1:9/hook"
NUMBERS = ("09120000001", "09120000002", "09120000003")
REQUEST = CallRequest(CallKind.BATCH, NUMBERS, voice_id="08e815cbcd724386805103ac0d45e4c2")

every_store = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)


def _calls(store: Store, sequences: list[int]) -> list[Call]:
    ids = IdCodec(store.id_key())
    return [
        Call(
            id=ids.encode(sequence),
            sequence=sequence,
            phone_number="09121234567",
            local_number="09121234567",
            kind=CallKind.BATCH,
            request_date=START,
            retry_count=1,
            plan=plan_for(START),
        )
        for sequence in sequences
    ]


def _events(calls: list[Call]) -> list[PendingEvent]:
    return [PendingEvent(call.id, call.sequence, START + 60, 1, None) for call in calls]


def _emulator(store: Store) -> Emulator:
    return Emulator(
        Settings(seed=7, clock="manual", start_time=START, webhook_url=HOOK), store=store
    )


def _kept(store: Store) -> tuple[int, int]:
    """How many calls and how many pending events the store keeps."""
    return store.count_calls(), store.count_pending_events()


@every_store
@pytest.mark.parametrize("gap", [False, True], ids=["one run", "two runs"])
def test_calls_and_their_events_are_kept_together(store: Store, gap: bool) -> None:
    first = store.allocate_sequence(4)
    calls = _calls(store, [first, first + 1, first + 3] if gap else [first, first + 1, first + 2])
    store.add_calls(calls, _events(calls))
    assert [store.get_call(call.sequence) for call in calls] == calls
    assert _kept(store) == (3, 3)
    claimed = store.claim_due_events(START + 60, 10, "worker", 30)
    assert [event.call_id for event in claimed] == [call.id for call in calls]


@every_store
def test_calls_without_events_keep_no_event(store: Store) -> None:
    first = store.allocate_sequence(2)
    store.add_calls(_calls(store, [first, first + 1]))
    assert _kept(store) == (2, 0)


@every_store
def test_placing_with_webhooks_is_one_store_write(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator = _emulator(store)
    writes: list[tuple[str, int, int]] = []
    keep_calls, keep_events = store.add_calls, store.add_webhook_events

    def add_calls(calls: Any, events: Any = ()) -> None:
        writes.append(("add_calls", len(calls), len(events)))
        keep_calls(calls, events)

    def add_webhook_events(events: Any) -> None:
        writes.append(("add_webhook_events", 0, len(events)))
        keep_events(events)

    monkeypatch.setattr(store, "add_calls", add_calls)
    monkeypatch.setattr(store, "add_webhook_events", add_webhook_events)
    emulator.calls.place(REQUEST)
    assert writes == [("add_calls", 3, 3)]


@every_store
def test_a_webhook_configuration_that_cannot_be_read_keeps_no_call(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator = _emulator(store)

    def unreadable() -> None:
        raise StoreUnavailable("the webhook configuration cannot be read")

    monkeypatch.setattr(store, "webhook_config", unreadable)
    with pytest.raises(StoreUnavailable, match="cannot be read"):
        emulator.calls.place(REQUEST)
    monkeypatch.undo()
    assert _kept(store) == (0, 0)
    emulator.calls.place(REQUEST)  # the client's retry
    assert _kept(store) == (3, 3)


# -- SQLite: the events' insert fails inside the calls' transaction ----------------------------


def _events_fail(sql: str) -> bool:
    return "INTO webhook_events" in sql


def test_sqlite_keeps_neither_when_the_events_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    disk = failing_connection(_events_fail)
    store = SqliteStore(path, factory=disk)
    emulator = _emulator(store)
    disk.failing = True
    with pytest.raises(StoreUnavailable, match=DISK_FULL):
        emulator.calls.place(REQUEST)
    assert not disk.opened[0].in_transaction
    assert _kept(store) == (0, 0)
    assert _kept(SqliteStore(path)) == (0, 0)  # nothing committed for another worker either

    disk.failing = False
    placed = emulator.calls.place(REQUEST)
    assert _kept(SqliteStore(path)) == (3, 3)
    assert [call.id for call in store.list_calls()] == [call.id for call in placed]


def test_sqlite_keeps_neither_on_a_real_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    disk = failing_connection()
    store = SqliteStore(path, factory=disk)
    first = store.allocate_sequence(100)
    calls = _calls(store, list(range(first, first + 100)))
    db = disk.opened[0]
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: SQLITE_FULL
    with pytest.raises(StoreUnavailable, match=DISK_FULL):
        store.add_calls(calls, _events(calls))
    assert _kept(store) == (0, 0) and not db.in_transaction


# -- Redis: one MULTI; a command refused while queued discards the whole transaction -----------


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    process = RedisProcess(tmp_path)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def no_webhook_keys(redis_server: RedisProcess) -> Iterator[Callable[[], RedisStore]]:
    """Opens a store as a Redis user that may use every key but the webhook ones."""
    admin = redis.Redis.from_url(redis_server.url)
    admin.execute_command(
        "ACL", "SETUSER", "placer", "on", ">secret", "+@all",
        "~bitel-mock:state", "~bitel-mock:requests", "~bitel-mock:scenarios",
    )
    url = redis_server.url.replace("redis://", "redis://placer:secret@")
    try:
        yield lambda: RedisStore(url)
    finally:
        admin.close()


def test_redis_keeps_neither_when_the_events_are_refused(
    redis_server: RedisProcess, no_webhook_keys: Callable[[], RedisStore]
) -> None:
    store = no_webhook_keys()
    first = store.allocate_sequence(3)
    calls = _calls(store, [first, first + 1, first + 2])
    with pytest.raises(redis.exceptions.NoPermissionError):
        store.add_calls(calls, _events(calls))
    whole = RedisStore(redis_server.url)
    assert _kept(whole) == (0, 0)
    assert whole.get_call(first) is None


def test_a_redis_placing_that_fails_on_the_events_keeps_no_call(
    redis_server: RedisProcess, no_webhook_keys: Callable[[], RedisStore]
) -> None:
    emulator = _emulator(no_webhook_keys())
    with pytest.raises(redis.exceptions.NoPermissionError):
        emulator.calls.place(REQUEST)
    assert _kept(RedisStore(redis_server.url)) == (0, 0)
