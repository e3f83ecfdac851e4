"""A statement that finds the SQLite file locked waits for it in short pauses, holding nothing,
and goes on once the lock is free; only a locked file is waited for; the writers of two
processes and many threads each keep every write, numbered once."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from bitel_mock.store import sqlite_retry
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.sqlite import SqliteStore
from tests.store.sqlite_faults import failing_connection

THREADS = 4
APPENDS = 40
LIMIT = 10_000


def _holder(path: Path) -> sqlite3.Connection:
    """Another connection holding the write lock."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_write_that_meets_a_lock_goes_on_once_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path)
    holder = _holder(path)
    pauses: list[float] = []

    def pause(seconds: float) -> None:  # the holder commits during the third pause
        pauses.append(seconds)
        if len(pauses) == 3:
            holder.execute("COMMIT")

    monkeypatch.setattr(sqlite_retry.time, "sleep", pause)
    assert store.append_journal({"n": 1}, LIMIT) == 1
    assert pauses == [0.000_05, 0.000_1, 0.000_2]
    holder.close()


def test_pauses_double_up_to_the_longest(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(sqlite_retry.time, "sleep", pauses.append)
    tries = iter(range(10))

    def locked() -> str:
        if next(tries) < 9:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    assert sqlite_retry.retried(60.0, locked) == "done"
    assert max(pauses) == sqlite_retry.LONGEST_PAUSE == 0.001 and pauses == sorted(pauses)


def test_a_lock_held_past_the_connections_patience_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path, factory=failing_connection(timeout=0.05))
    holder = _holder(path)
    try:
        with pytest.raises(StoreUnavailable, match="database is locked"):
            store.append_journal({"n": 1}, LIMIT)
        assert store.journal_entries() == []  # reads are not kept waiting by a writer
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.append_journal({"n": 2}, LIMIT) == 1


def test_only_a_locked_file_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = failing_connection(lambda sql: "INTO journal" in sql)
    store = SqliteStore(tmp_path / "calls.sqlite3", factory=disk)
    monkeypatch.setattr(sqlite_retry.time, "sleep", pytest.fail)
    disk.failing = True
    with pytest.raises(StoreUnavailable, match="disk is full"):
        store.append_journal({"n": 1}, LIMIT)


def _append_from_threads(path: Path) -> None:
    store = SqliteStore(path)

    def append() -> None:
        for n in range(APPENDS):
            store.append_journal({"pid": os.getpid(), "n": n}, LIMIT)

    threads = [threading.Thread(target=append) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_writers_of_two_processes_and_many_threads_each_keep_every_write(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path)
    other = multiprocessing.get_context("fork").Process(target=_append_from_threads, args=(path,))
    other.start()
    _append_from_threads(path)
    other.join(timeout=120)
    assert other.exitcode == 0
    numbers = [entry["seq"] for entry in store.journal_entries()]
    assert len(numbers) == len(set(numbers)) == 2 * THREADS * APPENDS
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
