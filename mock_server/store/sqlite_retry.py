"""Waiting for another connection's lock in short steps, holding nothing meanwhile.

SQLite lets one connection write at a time. Its own busy handler makes a
statement that finds the file locked sleep 1, 2, 5, 10, ... ms between tries,
so under load (the threads of two workers writing a few thousand times a
second) one write in ten waits milliseconds for a lock held for tens of
microseconds. A lock taken in Python instead (a queue of writers) would be
held while its holder waits for the GIL, and the queue would grow behind it.

So the store's connections do not wait in SQLite (`PRAGMA busy_timeout = 0`):
a statement that finds the database locked is tried again here, after
pauses from `FIRST_PAUSE` doubling up to `LONGEST_PAUSE`, for as long as the
connection was told to wait (its `timeout`, `BUSY_TIMEOUT_SECONDS` in the
store); then the last "database is locked" stands (503). A statement that
found the file locked did nothing, so trying it again is safe, also inside a
transaction (`BEGIN IMMEDIATE` is where a write transaction meets the lock;
`executemany`, which the store runs only inside write transactions, never
meets it).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

FIRST_PAUSE = 0.000_05
LONGEST_PAUSE = 0.001

Result = TypeVar("Result")


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether the statement found the database locked by another connection."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return name.startswith("SQLITE_BUSY") or str(exc) == "database is locked"


def retried(patience: float, run: Callable[[], Result]) -> Result:
    """`run()`, tried again while it finds the database locked, for at most `patience`
    seconds."""
    try:
        return run()
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
    deadline = time.monotonic() + patience
    pause = FIRST_PAUSE
    while True:
        time.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
        try:
            return run()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
        pause = min(pause * 2, LONGEST_PAUSE)


def retrying(factory: type[sqlite3.Connection]) -> type[sqlite3.Connection]:
    """A connection class like `factory` whose statements wait for a lock here, as long as the
    connection was told to wait (`timeout`), instead of in SQLite."""

    class RetryingConnection(factory):  # type: ignore[valid-type, misc]
        patience: float
        """Seconds a statement waits for another connection's lock."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            (milliseconds,) = super().execute("PRAGMA busy_timeout").fetchone()
            self.patience = milliseconds / 1000
            super().execute("PRAGMA busy_timeout = 0")

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            return retried(
                self.patience, lambda: super(RetryingConnection, self).execute(sql, *args)
            )

    RetryingConnection.__name__ = f"Retrying{factory.__name__}"
    return RetryingConnection
