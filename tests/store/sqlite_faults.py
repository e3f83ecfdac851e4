"""SQLite connections that fail on purpose, given to `SqliteStore(path, factory=...)`.

`failing_connection(fails)` makes a `sqlite3.Connection` class whose
`execute`/`executemany` raise `error` for every statement `fails` picks while
the class's `failing` is set; `opened` lists its connections, so a test can
set a real limit on them (`PRAGMA max_page_count`: a real full disk).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

DISK_FULL = "database or disk is full"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
START_UP_WRITES = (*WRITES, "BEGIN IMMEDIATE", "COMMIT", "CREATE", "PRAGMA USER_VERSION =")


def writes(sql: str) -> bool:
    """A statement that changes the file (a transaction's COMMIT has nothing left to write once
    they fail: a read's COMMIT works on a full disk)."""
    return sql.lstrip().upper().startswith(WRITES)


def any_write(sql: str) -> bool:
    """Also what only takes the write lock or changes the schema."""
    return sql.lstrip().upper().startswith(START_UP_WRITES)


def failing_connection(
    fails: Callable[[str], bool] = writes, error: str = DISK_FULL, *, timeout: float | None = None
) -> type[FailingConnection]:
    """A fresh connection class (its own switch and list of connections)."""

    class Connection(FailingConnection):
        pass

    Connection.fails, Connection.error, Connection.busy_timeout = (
        staticmethod(fails),
        error,
        timeout,
    )
    Connection.opened = []
    return Connection


class FailingConnection(sqlite3.Connection):
    fails: Callable[[str], bool]
    error: str
    busy_timeout: float | None
    opened: list[sqlite3.Connection]
    failing = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.busy_timeout is not None:
            kwargs["timeout"] = self.busy_timeout
        super().__init__(*args, **kwargs)
        type(self).opened.append(self)

    def _check(self, sql: str) -> None:
        if type(self).failing and self.fails(sql):
            raise sqlite3.OperationalError(self.error)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return super().executemany(sql, *args)
