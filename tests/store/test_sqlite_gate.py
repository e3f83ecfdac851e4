"""Writers of one SQLite file queue at a gate (threads and processes): every write is kept and
numbered once; a writer waits at most its timeout, then the store is unavailable (503); a gate
whose lock file cannot be made still lets writes through."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.sqlite import SqliteStore
from bitel_mock.store.sqlite_gate import SUFFIX, GateTimeout, WriteGate

THREADS = 4
APPENDS = 40
LIMIT = 10_000


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
    store.append_journal({"first": True}, LIMIT)  # opens the gate's file in this process
    other = multiprocessing.get_context("fork").Process(target=_append_from_threads, args=(path,))
    other.start()
    _append_from_threads(path)
    other.join(timeout=120)
    assert other.exitcode == 0
    numbers = [entry["seq"] for entry in store.journal_entries()]
    assert len(numbers) == len(set(numbers)) == 1 + 2 * THREADS * APPENDS
    assert sorted(numbers) == list(range(numbers[-1], numbers[-1] + len(numbers)))


def test_a_writer_waits_for_the_gate_at_most_its_timeout(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path)
    store._gate.timeout = 0.05
    held = os.open(path.with_name(path.name + SUFFIX), os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # another process's writer holds the gate
    try:
        with pytest.raises(StoreUnavailable, match="database is locked"):
            store.append_journal({"n": 1}, LIMIT)
        assert store.journal_entries() == []  # reads do not pass through the gate
    finally:
        os.close(held)
    assert store.append_journal({"n": 2}, LIMIT) == 1


def test_the_gate_is_its_own_timeout_error_for_a_locked_file(tmp_path: Path) -> None:
    gate = WriteGate(tmp_path / "calls.sqlite3", timeout=0.01)
    other = WriteGate(tmp_path / "calls.sqlite3", timeout=0.01)
    other._file = (os.getpid(), os.open(gate.path, os.O_RDWR | os.O_CREAT))
    fcntl.flock(other._file[1], fcntl.LOCK_EX)
    with pytest.raises(GateTimeout), gate():
        pass
    other.close()
    with gate():
        pass


def test_a_gate_whose_file_cannot_be_made_lets_writes_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_: object) -> int:
        raise PermissionError("read-only directory")

    store = SqliteStore(tmp_path / "calls.sqlite3")
    monkeypatch.setattr("bitel_mock.store.sqlite_gate.os.open", refused)
    store._gate.close()
    assert store.append_journal({"n": 1}, LIMIT) == 1
    assert store.allocate_sequence(2) == 0
