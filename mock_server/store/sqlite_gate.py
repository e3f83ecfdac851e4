"""One writer at a time on a SQLite file, queued instead of polling.

SQLite lets one connection write at a time; another that finds the file
locked sleeps in its busy handler (1, 2, 5, 10, ... ms between tries) and
tries again, so under load a write that came a microsecond late waits a
millisecond or more, and the two workers of `serve` keep colliding. The gate
queues writers instead: a lock for the threads of one process, and an
advisory lock (`flock`) on a file beside the database for the processes, so
a waiting writer goes on the moment the one before it is done. Readers never
pass through it (WAL readers do not wait for writers).

A writer waits for the gate at most `timeout` seconds (then `GateTimeout`,
which the store reports as a locked database: 503), as it would wait for
SQLite's own lock. The gate only orders writers: where its file cannot be
made (a read-only directory) the threads still queue, and SQLite's own lock
keeps the processes apart as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SUFFIX = "-writer"
"""The lock file's name is the database's with this added."""
_FIRST_PAUSE = 0.000_05
_LONGEST_PAUSE = 0.001


class GateTimeout(sqlite3.OperationalError):
    """Waited too long for the gate: another writer holds the file."""

    sqlite_errorname = "SQLITE_BUSY"

    def __init__(self) -> None:
        super().__init__("database is locked")


class WriteGate:
    """The writers' queue of one database file (one per store object; fork-safe)."""

    def __init__(self, database: Path, timeout: float) -> None:
        self.path = database.with_name(database.name + SUFFIX)
        self.timeout = timeout
        self._threads = threading.Lock()
        self._file: tuple[int, int | None] | None = None
        """(process id, descriptor or None when the file cannot be made): a forked process
        opens its own, or it would share the lock of its parent."""

    def _descriptor(self) -> int | None:
        pid = os.getpid()
        held = self._file
        if held is None or held[0] != pid:
            try:
                descriptor: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                descriptor = None
            held = self._file = (pid, descriptor)
        return held[1]

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        """Hold the gate for one write (a statement, or a transaction)."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise GateTimeout()
        try:
            descriptor = self._descriptor()
            if descriptor is None:
                yield
                return
            self._lock_file(descriptor, deadline)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    @staticmethod
    def _lock_file(descriptor: int, deadline: float) -> None:
        # Another process holds it for a statement (tens of microseconds): short pauses.
        pause = _FIRST_PAUSE
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise GateTimeout() from None
                time.sleep(pause)
                pause = min(pause * 2, _LONGEST_PAUSE)

    def close(self) -> None:
        """Close this process's descriptor once no thread writes (the gate opens it again when
        next used)."""
        with self._threads:
            held, self._file = self._file, None
        if held is not None and held[0] == os.getpid() and held[1] is not None:
            os.close(held[1])
