"""The SQLite store: the default of `bitel-mock serve`, shared by every worker on one host.

Layout (one place per kind of state):

- `state`: one row per singleton value (the next sequence number, the call
  count, the id key; later kinds of shared state add rows here or tables of
  their own through a migration);
- `requests`: one row per accepted request, keyed by its first sequence
  number (INTEGER PRIMARY KEY, so rows are appended in order), holding all
  its calls as one JSON table (`codec.dumps_table`). A call is found by its sequence number.

The file is in WAL mode. Every write commits before the method returns, so a
call that was answered with a 200 survives the process being killed; with
`synchronous=NORMAL` a power loss may still drop the last commits, which an
emulator can afford.

`PRAGMA user_version` is the schema version; `MIGRATIONS` upgrades an older
file in order, so a newer release opens a file made by an older one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from mock_server.domain.ids import random_key
from mock_server.domain.model import Call
from mock_server.store import codec
from mock_server.store.runs import consecutive_runs

Migration = Callable[[sqlite3.Connection], None]


def _create_state_and_requests(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE state (name TEXT PRIMARY KEY, value) WITHOUT ROWID")
    db.execute(
        "CREATE TABLE requests ("
        " first_seq INTEGER PRIMARY KEY,"
        " count INTEGER NOT NULL,"
        " calls TEXT NOT NULL)"
    )
    db.executemany(
        "INSERT INTO state (name, value) VALUES (?, ?)",
        [("next_sequence", 0), ("calls", 0)],
    )
    # Counted in the inserting statement's own transaction, so one statement keeps a request.
    db.execute(
        "CREATE TRIGGER count_calls AFTER INSERT ON requests BEGIN"
        " UPDATE state SET value = value + NEW.count WHERE name = 'calls'; END"
    )


MIGRATIONS: tuple[Migration, ...] = (_create_state_and_requests,)
"""Schema upgrades in order: MIGRATIONS[n] takes a file from version n to n + 1."""


class SchemaTooNew(RuntimeError):
    """The file was written by a newer release than this one."""


class SqliteStore:
    """Keeps the emulator's state in one SQLite file; safe across threads and processes."""

    def __init__(self, path: str | os.PathLike[str], *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.path = Path(path)
        self._migrations = tuple(migrations)
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate(self._db())
        self.id_key()  # made once, here, so every worker that opens the file later shares it

    # -- connections ---------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened anew in a forked process."""
        pid = os.getpid()
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == pid:
            return held[1]
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        self._local.held = (pid, db)
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on leaving (the write lock is taken at once)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _migrate(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(self._migrations):
                raise SchemaTooNew(
                    f"{self.path} has schema version {version}; this release knows up to "
                    f"{len(self._migrations)}"
                )
            for migration in self._migrations[version:]:
                migration(db)
            db.execute(f"PRAGMA user_version = {len(self._migrations)}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def schema_version(self) -> int:
        return self._db().execute("PRAGMA user_version").fetchone()[0]

    # -- calls ---------------------------------------------------------------

    def allocate_sequence(self, count: int) -> int:
        (end,) = self._db().execute(
            "UPDATE state SET value = value + ? WHERE name = 'next_sequence' RETURNING value",
            (count,),
        ).fetchone()
        return end - count

    def add_calls(self, calls: Sequence[Call]) -> None:
        if not calls:
            return
        rows = [
            (run[0].sequence, len(run), codec.dumps_table(Call, run))
            for run in consecutive_runs(calls)
        ]
        insert = "INSERT INTO requests (first_seq, count, calls) VALUES (?, ?, ?)"
        if len(rows) == 1:
            self._db().execute(insert, rows[0])  # one statement: its own transaction
            return
        with self._write() as db:
            db.executemany(insert, rows)

    def get_call(self, sequence: int) -> Call | None:
        row = self._db().execute(
            "SELECT first_seq, count, calls FROM requests WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1",
            (sequence,),
        ).fetchone()
        if row is None or sequence >= row[0] + row[1]:
            return None
        return codec.decode_table_row(Call, json.loads(row[2]), sequence - row[0])

    def count_calls(self) -> int:
        return self._db().execute("SELECT value FROM state WHERE name = 'calls'").fetchone()[0]

    # -- the id key ----------------------------------------------------------

    def id_key(self) -> int:
        db = self._db()
        db.execute(
            "INSERT OR IGNORE INTO state (name, value) VALUES ('id_key', ?)", (f"{random_key():032x}",)
        )
        return int(db.execute("SELECT value FROM state WHERE name = 'id_key'").fetchone()[0], 16)

    def reset(self) -> None:
        with self._write() as db:
            db.execute("DELETE FROM requests")
            db.execute("UPDATE state SET value = 0 WHERE name IN ('next_sequence', 'calls')")
            db.execute("UPDATE state SET value = ? WHERE name = 'id_key'", (f"{random_key():032x}",))

    def close(self) -> None:
        """Close this thread's connection (others close when their process ends)."""
        held = getattr(self._local, "held", None)
        if held is not None:
            held[1].close()
            self._local.held = None
