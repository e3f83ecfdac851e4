"""Group commit: the hot write statements of a process's threads, committed together.

Every accepted request writes once (its calls with its journal entry, two
statements) and every status read once (its journal entry), each a transaction
that must take SQLite's one write lock. Under load the threads of both workers
queue for that lock, and a thread that finds it taken waits in steps
(`bitel_mock.store.sqlite_retry`), so most of a request's time went to waiting.

Here the threads of one process hand their statements to whichever of them is
writing: the first to arrive writes, in one transaction, every statement handed
over by then (a thread's own statements together and in order); the others wait
on a condition and wake when it committed. So a worker takes the lock once for
all the requests that arrived meanwhile, and each thread still returns only
after its statements are committed (a 200 is never answered for calls a kill -9
could lose). A transaction that fails (a full disk, the lock not had in time)
fails every statement in it, none of which is kept.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Statement = tuple[str, Sequence[Any]]
"""An SQL statement and its arguments."""


@dataclass(frozen=True)
class Written:
    """What a statement did: rows changed and the last row inserted (as a cursor says)."""

    rowcount: int
    lastrowid: int | None


@dataclass
class _Unit:
    """One thread's statements, run in order in one transaction."""

    statements: Sequence[Statement]
    written: list[Written] = field(default_factory=list)
    error: BaseException | None = None
    done: bool = False


@dataclass
class GroupCommit:
    """Runs write statements of many threads in as few transactions as there are turns."""

    _turn: threading.Condition = field(default_factory=threading.Condition)
    _waiting: list[_Unit] = field(default_factory=list)
    _writing: bool = False

    def execute(
        self, connection: Callable[[], sqlite3.Connection], sql: str, args: Sequence[Any] = ()
    ) -> Written:
        """Run one write statement, committed with those of other threads, on the connection
        of whichever thread writes; raises what its transaction raised."""
        (written,) = self.execute_together(connection, ((sql, args),))
        return written

    def execute_together(
        self, connection: Callable[[], sqlite3.Connection], statements: Sequence[Statement]
    ) -> list[Written]:
        """Run write statements in order, in one transaction (a later one may read what an
        earlier one did, as `last_insert_rowid()`), committed with those of other threads;
        what each did, or raises what their transaction raised."""
        unit = _Unit(statements)
        with self._turn:
            self._waiting.append(unit)
            while self._writing and not unit.done:
                self._turn.wait()
            if not unit.done:
                self._writing = True
                group, self._waiting = self._waiting, []
        if not unit.done:
            try:
                _commit(connection(), group)
            finally:
                with self._turn:
                    for member in group:
                        member.done = True
                    self._writing = False
                    self._turn.notify_all()
        if unit.error is not None:
            # Each thread raises its own copy (the same object raised in several threads would
            # share one traceback); the copy keeps SQLite's error name and code.
            raise copy.copy(unit.error) from unit.error
        return unit.written


def _commit(db: sqlite3.Connection, group: list[_Unit]) -> None:
    """All the units in one transaction; on failure each carries the error."""
    try:
        if len(group) == 1 and len(group[0].statements) == 1:  # a transaction of its own
            _run(db, group[0])
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            for unit in group:
                _run(db, unit)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    except BaseException as exc:  # nothing of the group was kept
        for unit in group:
            unit.written.clear()
            unit.error = exc


def _run(db: sqlite3.Connection, unit: _Unit) -> None:
    for sql, args in unit.statements:
        cursor = db.execute(sql, args)
        unit.written.append(Written(cursor.rowcount, cursor.lastrowid))
