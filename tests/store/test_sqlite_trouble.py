"""SQLite in trouble (a full disk, an I/O error, a lock held too long): `StoreUnavailable`,
nothing kept, reads still served, the connection usable again afterwards; a bug stays a bug;
a file whose schema is there opens without writing."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.model import Call, CallKind, CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, ScenarioRule
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.sqlite import BUSY_TIMEOUT_SECONDS, SqliteStore, sqlite_trouble
from tests.factories import plan_for
from tests.store.sqlite_faults import any_write, failing_connection

LONG_TEXT = "x" * 2_000  # a request of 100 such calls needs new pages


def _calls(store: SqliteStore, sequences: list[int]) -> list[Call]:
    ids = IdCodec(store.id_key())
    return [
        Call(
            id=ids.encode(sequence),
            sequence=sequence,
            phone_number="09121234567",
            local_number="09121234567",
            kind=CallKind.TTS,
            request_date=1_700_000_000,
            retry_count=1,
            plan=plan_for(1_700_000_000),
            text=LONG_TEXT,
        )
        for sequence in sequences
    ]


def _placed(store: SqliteStore, count: int) -> list[Call]:
    first = store.allocate_sequence(count)
    return _calls(store, list(range(first, first + count)))


def _seen_by_another_handle(path: Path) -> int:
    other = SqliteStore(path)
    try:
        return other.count_calls()
    finally:
        other.close()


def test_the_busy_timeout_is_five_seconds(tmp_path: Path) -> None:
    connection = failing_connection()
    SqliteStore(tmp_path / "calls.sqlite3", factory=connection)
    assert BUSY_TIMEOUT_SECONDS == 5.0
    assert connection.opened[0].patience == 5.0  # the store waits, in short steps
    assert connection.opened[0].execute("PRAGMA busy_timeout").fetchone()[0] == 0


def test_a_real_full_disk_keeps_nothing_and_reads_go_on(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    connection = failing_connection()
    store = SqliteStore(path, factory=connection)
    kept = _placed(store, 2)
    store.add_calls(kept)
    db = connection.opened[0]
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: SQLITE_FULL

    one_run = _placed(store, 100)
    allocated = store.allocate_sequence(3)
    two_runs = _calls(store, [allocated, allocated + 2])  # two rows: one transaction
    for calls in (one_run, two_runs):
        with pytest.raises(StoreUnavailable, match="database or disk is full") as caught:
            store.add_calls(calls)
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
        assert caught.value.__cause__.sqlite_errorname == "SQLITE_FULL"
    assert not db.in_transaction
    assert store.count_calls() == 2 and _seen_by_another_handle(path) == 2
    assert store.get_call(one_run[0].sequence) is None
    assert [store.get_call(call.sequence) for call in kept] == kept

    db.execute("PRAGMA max_page_count = 1000000000")  # room again
    store.add_calls(two_runs)
    assert _seen_by_another_handle(path) == 4  # committed, not left in an open transaction


def test_a_failed_commit_ends_its_transaction(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    connection = failing_connection(lambda sql: sql == "COMMIT", "disk I/O error")
    store = SqliteStore(path, factory=connection)
    first = store.allocate_sequence(3)
    calls = _calls(store, [first, first + 2])
    connection.failing = True
    with pytest.raises(StoreUnavailable, match="disk I/O error"):
        store.add_calls(calls)
    connection.failing = False
    assert not connection.opened[0].in_transaction
    assert store.count_calls() == 0 and _seen_by_another_handle(path) == 0
    store.add_fault({"kind": "drop", "remaining": None})  # the next write commits for all to see
    assert len(SqliteStore(path).list_faults()) == 1


def test_a_lock_held_too_long_is_unavailable_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path, factory=failing_connection(timeout=0.05))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="database is locked"):
            store.add_fault({"kind": "drop", "remaining": None})
        assert time.monotonic() - started < 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.add_fault({"kind": "drop", "remaining": None})["id"]


@pytest.mark.parametrize(
    "message",
    [
        "database or disk is full",
        "disk I/O error",
        "database is locked",
        "unable to open database file",
        "attempt to write a readonly database",
    ],
)
def test_trouble_without_an_error_code_is_told_by_its_message(message: str) -> None:
    assert sqlite_trouble(sqlite3.OperationalError(message)) == f"SQLite: {message}"


def test_a_bug_stays_a_bug(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "calls.sqlite3")
    rule = ScenarioRule(id="same", attempts=(AttemptSpec(CallStatus.ERROR),), pattern="^09")
    store.add_scenario(rule)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_scenario(rule)
    assert sqlite_trouble(sqlite3.OperationalError("no such table: nothing")) is None
    assert sqlite_trouble(ValueError("database is locked")) is None


def test_a_file_whose_schema_is_there_opens_on_a_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    before = SqliteStore(path)
    kept = _placed(before, 2)
    before.add_calls(kept)
    key = before.id_key()
    before.close()

    connection = failing_connection(any_write)
    connection.failing = True
    after = SqliteStore(path, factory=connection)  # no write at start-up
    assert after.id_key() == key
    assert [after.get_call(call.sequence) for call in kept] == kept
    with pytest.raises(StoreUnavailable, match="database or disk is full"):
        after.allocate_sequence(1)
