"""Group commit: the hot write statements of a process's threads, committed together.

Every accepted request writes twice (its calls, then its journal entry) and
every status read once (its journal entry), each a transaction of its own that
must take SQLite's one write lock. Under load the threads of both workers queue
for that lock, and a thread that finds it taken waits in steps
(`bitel_mock.store.sqlite_retry`), so most of a request's time went to waiting.

Here the threads of one process hand their statements to whichever of them is
writing: the first to arrive writes, in one transaction, every statement handed
over by then; the others wait on a condition and wake when it committed. So a
worker takes the lock once for all the requests that arrived meanwhile, and
each thread still returns only after its statement is committed (a 200 is
never answered for calls a kill -9 could lose). A transaction that fails (a
full disk, the lock not had in time) fails every statement in it, none of
which is kept.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Statement:
    sql: str
    args: Sequence[Any]
    rowcount: int = -1
    lastrowid: int | None = None
    error: BaseException | None = None
    done: bool = False


@dataclass(frozen=True)
class Written:
    """What a statement did: rows changed and the last row inserted (as a cursor says)."""

    rowcount: int
    lastrowid: int | None


@dataclass
class GroupCommit:
    """Runs write statements of many threads in as few transactions as there are turns."""

    _turn: threading.Condition = field(default_factory=threading.Condition)
    _waiting: list[_Statement] = field(default_factory=list)
    _writing: bool = False

    def execute(
        self, connection: Callable[[], sqlite3.Connection], sql: str, args: Sequence[Any] = ()
    ) -> Written:
        """Run one write statement, committed with those of other threads, on the connection
        of whichever thread writes; raises what its transaction raised."""
        statement = _Statement(sql, args)
        with self._turn:
            self._waiting.append(statement)
            while self._writing and not statement.done:
                self._turn.wait()
            if not statement.done:
                self._writing = True
                group, self._waiting = self._waiting, []
        if not statement.done:
            try:
                _commit(connection(), group)
            finally:
                with self._turn:
                    for member in group:
                        member.done = True
                    self._writing = False
                    self._turn.notify_all()
        if statement.error is not None:
            # Each thread raises its own copy (the same object raised in several threads would
            # share one traceback); the copy keeps SQLite's error name and code.
            raise copy.copy(statement.error) from statement.error
        return Written(statement.rowcount, statement.lastrowid)


def _commit(db: sqlite3.Connection, group: list[_Statement]) -> None:
    """All the statements in one transaction; on failure each carries the error."""
    try:
        if len(group) == 1:  # one statement is a transaction of its own
            _run(db, group[0])
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in group:
                _run(db, statement)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    except BaseException as exc:  # nothing of the group was kept
        for statement in group:
            statement.error = exc


def _run(db: sqlite3.Connection, statement: _Statement) -> None:
    cursor = db.execute(statement.sql, statement.args)
    statement.rowcount, statement.lastrowid = cursor.rowcount, cursor.lastrowid
