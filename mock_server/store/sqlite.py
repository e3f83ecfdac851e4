"""The SQLite store: the default of `bitel-mock serve`, shared by every worker on one host.

Layout (one place per kind of state):

- `state`: one row per singleton value (the next sequence number, the call
  count, the id key; later kinds of shared state add rows here or tables of
  their own through a migration);
- `requests`: one row per accepted request, keyed by its first sequence
  number (INTEGER PRIMARY KEY, so rows are appended in order), holding all
  its calls as one JSON value (`store/call_rows.py`). A call is found by its sequence number;
- `scenarios`, `journal`, `faults`, `buckets`, `owned`: the control plane's
  state (schema version 2), one table per kind, values as JSON text; the
  clock's base and offset and the run-time rate limit are rows of `state`;
- `webhook_events` (pending and claimed events) and `webhook_deliveries`
  (the delivery journal, capped): voice webhooks (schema version 3); their
  run-time configuration is a row of `state`;
- `sms_requests` and `sms_templates`: SMS messages, as `requests` holds calls,
  and templates (schema version 5; `store/sqlite_sms.py`);
- the control plane's generation, a row of `state` that triggers bump with
  every change of its state (schema version 6; `store/sqlite_generation.py`);
  from schema version 7 the journal numbers its entries above a floor kept in
  `state` (numbers keep increasing when it is emptied) and is cut back to its
  limit every `JOURNAL_TRIM_STEP` appends, reads leaving out what lies beyond
  it; from schema version 8 a request's calls are numbered by the statement
  that keeps them (`add_batch`); from schema version 9 a placing request's
  journal entry is kept in the same transaction as its calls
  (`add_batch_with_entry`) and names them by their numbers (`calls_from`,
  `calls_count`: the ids are made from them when the entry is read, not
  written out a second time).

The file is in WAL mode. Every write commits before the method returns, so a
call that was answered with a 200 survives the process being killed; with
`synchronous=NORMAL` a power loss may still drop the last commits, which an
emulator can afford.

`PRAGMA user_version` is the schema version; `MIGRATIONS` upgrades an older
file in order, so a newer release opens a file made by an older one.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bitel_mock import jsontext
from bitel_mock.domain.ids import random_key
from bitel_mock.domain.model import Call, CallBatch
from bitel_mock.domain.outcomes import ScenarioRule
from bitel_mock.store import call_rows, codec
from bitel_mock.store.breaker import Breaker
from bitel_mock.store.generation import Pulse
from bitel_mock.store.guard import guarded
from bitel_mock.store.identity import StoreIdentity
from bitel_mock.store.incidents import IncidentLog
from bitel_mock.store.journal_filter import JournalFilter
from bitel_mock.store.journaled import batch_then_entry
from bitel_mock.store.sqlite_generation import BUMP, PULSE, add_generation
from bitel_mock.store.sqlite_group import GroupCommit, Statement
from bitel_mock.store.sqlite_retry import is_busy, retrying
from bitel_mock.store.sqlite_sms import SMS_TABLES, SqliteSmsMixin, add_sms_tables
from bitel_mock.store.sqlite_wal import WalKeeper
from bitel_mock.webhooks.model import Delivery, PendingEvent
from bitel_mock.webhooks.storage import MAX_DELIVERIES

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


def _add_control_plane(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE scenarios (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, rule TEXT NOT NULL)")
    # AUTOINCREMENT: numbers keep increasing after the journal is cleared. The trigger keeps
    # the newest `journal_limit` entries, so an append is one statement (one short write lock).
    db.execute("CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)")
    db.execute(
        "CREATE TRIGGER trim_journal AFTER INSERT ON journal BEGIN"
        " DELETE FROM journal WHERE seq <= NEW.seq - (SELECT value FROM state WHERE name = 'journal_limit');"
        " END"
    )
    db.execute(
        "CREATE TABLE faults (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,"
        " fault TEXT NOT NULL, remaining INTEGER, hits INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("CREATE TABLE buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL) WITHOUT ROWID")
    db.execute("CREATE TABLE owned (key TEXT NOT NULL, call_id TEXT NOT NULL, PRIMARY KEY (key, call_id)) WITHOUT ROWID")
    db.executemany(
        "INSERT OR IGNORE INTO state (name, value) VALUES (?, ?)",
        [("clock_offset", 0.0), ("journal_limit", 1000), ("fault_sequence", 0)],
    )


def _add_webhooks(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE webhook_events (call_id TEXT PRIMARY KEY, sequence INTEGER NOT NULL,"
        " due_at REAL NOT NULL, attempt INTEGER NOT NULL, token_fingerprint TEXT,"
        " claimer TEXT, held_until REAL) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX webhook_events_due ON webhook_events (claimer, due_at, sequence)")
    db.execute("CREATE TABLE webhook_deliveries (id INTEGER PRIMARY KEY, call_id TEXT NOT NULL, delivery TEXT NOT NULL)")
    db.execute("CREATE INDEX webhook_deliveries_call ON webhook_deliveries (call_id, id)")


def _shorten_token_keys(db: sqlite3.Connection) -> None:
    """Key a token's buckets, owned calls and fault matchers by its fingerprint (the first 16
    hex digits of its sha256) as calls and webhooks are, instead of the first 32: a prefix."""
    for fault_id, text in db.execute("SELECT id, fault FROM faults").fetchall():
        fault = json.loads(text)
        if isinstance(fault.get("tokenKey"), str):
            fault["tokenKey"] = fault["tokenKey"][:16]
            db.execute("UPDATE faults SET fault = ? WHERE id = ?", (jsontext.dumps(fault), fault_id))
    db.execute("UPDATE OR REPLACE buckets SET key = substr(key, 1, 16)")
    db.execute("UPDATE OR REPLACE owned SET key = substr(key, 1, 16)")


JOURNAL_TRIM_STEP = 64
"""The journal is cut back to its limit every this many appends rather than on each (a delete
per append cost more than the append); reads leave out what is kept beyond the limit."""
_KEPT_JOURNAL = (
    "seq > (SELECT COALESCE(MAX(seq), 0) FROM journal)"
    " - (SELECT value FROM state WHERE name = 'journal_limit')"
)
_NEXT_JOURNAL_SEQ = (
    "max(COALESCE((SELECT MAX(seq) FROM journal), 0),"
    " COALESCE((SELECT value FROM state WHERE name = 'journal_floor'), 0)) + 1"
)
"""The next number is one above the newest entry's, or above the floor when the journal is
empty (every number given before it was cleared is at most the floor)."""
_APPEND_JOURNAL = f"INSERT INTO journal (seq, entry) VALUES ({_NEXT_JOURNAL_SEQ}, ?)"
_APPEND_JOURNAL_OF_BATCH = (
    f"INSERT INTO journal (seq, entry, calls_from, calls_count, calls_key) SELECT {_NEXT_JOURNAL_SEQ},"
    " ?, last_insert_rowid(), ?, ? WHERE changes() = 1"
)
"""Run right after `_ADD_BATCH`, in its transaction: the entry of the request whose calls that
statement numbered and kept, with the first number (the row it inserted); nothing when it kept
nothing."""
_ENTRY_COLUMNS = "seq, entry, calls_from, calls_count, calls_key"
_RAISE_JOURNAL_FLOOR = (
    "UPDATE state SET value = max(value, COALESCE((SELECT MAX(seq) FROM journal), 0))"
    " WHERE name = 'journal_floor'"
)


def _journal_in_steps(db: sqlite3.Connection) -> None:
    """The journal numbers entries itself (no AUTOINCREMENT, whose counter is one more page
    written per append), above a floor kept in `state` when it is emptied, and is trimmed every
    JOURNAL_TRIM_STEP appends."""
    db.execute("CREATE TABLE journal_numbered (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL)")
    db.execute("INSERT INTO journal_numbered (seq, entry) SELECT seq, entry FROM journal")
    db.execute(
        "INSERT OR REPLACE INTO state (name, value) VALUES ('journal_floor',"
        " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'journal'), 0))"
    )
    db.execute("DROP TABLE journal")  # and its trigger
    db.execute("ALTER TABLE journal_numbered RENAME TO journal")
    db.execute(
        f"CREATE TRIGGER trim_journal AFTER INSERT ON journal WHEN NEW.seq % {JOURNAL_TRIM_STEP} = 0"
        " BEGIN DELETE FROM journal WHERE seq <= NEW.seq - (SELECT value FROM state WHERE name = 'journal_limit');"
        " END"
    )


def _number_in_the_insert(db: sqlite3.Connection) -> None:
    """A request's row may take its numbers from the counter in the very statement that inserts
    it (`add_batch`): the trigger that counts calls also moves the counter past a row inserted
    at the counter's value (a row numbered beforehand, by `allocate_sequence`, is below it)."""
    db.execute("DROP TRIGGER count_calls")
    db.execute(
        "CREATE TRIGGER count_calls AFTER INSERT ON requests BEGIN"
        " UPDATE state SET value = value + NEW.count"
        " WHERE name = 'calls' OR (name = 'next_sequence' AND value = NEW.first_seq); END"
    )


def _journal_names_its_calls(db: sqlite3.Connection) -> None:
    """An entry kept with its request's calls (`add_batch_with_entry`) names them by their
    numbers (the first, how many) and the key of their ids, which are made when it is read."""
    db.execute("ALTER TABLE journal ADD COLUMN calls_from INTEGER")
    db.execute("ALTER TABLE journal ADD COLUMN calls_count INTEGER")
    db.execute("ALTER TABLE journal ADD COLUMN calls_key TEXT")


MIGRATIONS: tuple[Migration, ...] = (
    _create_state_and_requests, _add_control_plane, _add_webhooks, _shorten_token_keys,
    add_sms_tables, add_generation, _journal_in_steps, _number_in_the_insert,
    _journal_names_its_calls,
)
"""Schema upgrades in order: MIGRATIONS[n] takes a file from version n to n + 1."""


def fold_log(path: str | Path) -> None:
    """Open the file and close it, as its last connection: SQLite then copies its log into it
    and removes the log (`-wal`) and its index (`-shm`), so the file alone holds everything
    kept (one file to copy, back up or share). A file that cannot be opened now (gone, in use,
    unreadable) is left as it is: its log is read when it is next opened."""
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error:
        return
    try:
        db.execute("PRAGMA user_version").fetchone()  # a read: joins the log, to fold it on close
    except sqlite3.Error:
        pass
    finally:
        db.close()


class SchemaTooNew(RuntimeError):
    """The file was written by a newer release than this one."""


_ADD_BATCH = (
    "INSERT INTO requests (first_seq, count, calls)"
    " SELECT value, ?, ? FROM state WHERE name = 'next_sequence' AND value >= ?"
    " AND (SELECT value FROM state WHERE name = 'id_key') = ?"
)
"""Numbers a request's calls from the counter and keeps them, in one statement, only while the
file has the identity this store opened and its counter has not gone back."""

_INSERT_EVENTS = (
    "INSERT OR REPLACE INTO webhook_events (call_id, sequence, due_at, attempt, token_fingerprint)"
    " VALUES (?, ?, ?, ?, ?)"
)

BUSY_TIMEOUT_SECONDS = 5.0
"""How long a statement waits for another connection's write lock before the store is
unavailable (503) for that request: writes hold it for milliseconds."""

_TROUBLE_CODES = (
    "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN",
    "SQLITE_READONLY", "SQLITE_NOMEM", "SQLITE_PROTOCOL", "SQLITE_CORRUPT", "SQLITE_NOTADB",
)
_TROUBLE_MESSAGES = frozenset({
    "database or disk is full", "disk i/o error", "database is locked", "database table is locked",
    "unable to open database file", "attempt to write a readonly database",
    "database disk image is malformed", "file is not a database", "out of memory",
})


def sqlite_trouble(exc: BaseException) -> str | None:
    """Why the file cannot be used just now (a full disk, an I/O error, a lock held too long,
    ...), or None when `exc` is no such trouble (a bug stays a bug)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    name = getattr(exc, "sqlite_errorname", None) or ""
    if name.startswith(_TROUBLE_CODES) or str(exc).lower() in _TROUBLE_MESSAGES:
        return f"SQLite: {exc}"
    return None


@guarded(sqlite_trouble)
class SqliteStore(SqliteSmsMixin):
    """Keeps the emulator's state in one SQLite file; safe across threads and processes.

    `factory` is the `sqlite3.Connection` class connections are made with (tests give one
    that fails on purpose)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
        factory: type[sqlite3.Connection] = sqlite3.Connection,
    ) -> None:
        self.path = Path(path)
        self._migrations = tuple(migrations)
        self._local = threading.local()
        self.incidents = IncidentLog()
        self.breaker = Breaker()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._factory = retrying(factory)
        self._wal = WalKeeper(self.path)
        self._group = GroupCommit()
        self._migrate(self._db())
        self._identity = StoreIdentity(self._load_identity())

    # -- connections ---------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened anew in a forked process."""
        pid = os.getpid()
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == pid:
            return held[1]
        db = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS,
            factory=self._factory,
        )
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
            db.execute("COMMIT")
        except BaseException:
            self._roll_back(db)
            raise
        self._wal.wrote(db)

    def _change(self, sql: str, args: Sequence[Any] = ()) -> int:
        """One write statement, its own transaction; the rows it changed."""
        return self._db().execute(sql, args).rowcount

    def _change_returning(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """One write statement with RETURNING, its own transaction: its first row. The statement,
        and the lock it holds, ends when the cursor closes: at once."""
        cursor = self._db().execute(sql, args)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    def _roll_back(self, db: sqlite3.Connection) -> None:
        """End a failed transaction, so that no later statement of this thread joins it (after
        a full disk or an I/O error SQLite may have ended it already)."""
        try:
            if db.in_transaction:
                db.execute("ROLLBACK")
        except sqlite3.Error:  # the connection is unusable: the next call opens another
            self._local.held = None
            db.close()

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Upgrade the file to the latest schema; a file already there is only read, so a
        store opens on a full disk."""
        if self._schema_version(db) == len(self._migrations):
            return
        with self._write() as db:
            for migration in self._migrations[self._schema_version(db):]:
                migration(db)
            db.execute(f"PRAGMA user_version = {len(self._migrations)}")

    def _schema_version(self, db: sqlite3.Connection) -> int:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(self._migrations):
            raise SchemaTooNew(
                f"{self.path} has schema version {version}; this release knows up to {len(self._migrations)}"
            )
        return version

    def _load_identity(self) -> str:
        """The file's id key (its identity), made here when the file has none yet, so every
        worker that opens it later shares it; only read when it is there."""
        db = self._db()
        query = "SELECT value FROM state WHERE name = 'id_key'"
        row = db.execute(query).fetchone()
        if row is None:
            self._change("INSERT OR IGNORE INTO state (name, value) VALUES ('id_key', ?)", (f"{random_key():032x}",))
            row = db.execute(query).fetchone()
        return str(row[0])

    def schema_version(self) -> int:
        return self._db().execute("PRAGMA user_version").fetchone()[0]

    # -- calls ---------------------------------------------------------------

    def allocate_sequence(self, count: int) -> int:
        floor = self._identity.floor
        # One statement: the counter moves only while the file has the identity this store opened.
        row = self._change_returning(
            "UPDATE state SET value = value + ? WHERE name = 'next_sequence'"
            " AND (SELECT value FROM state WHERE name = 'id_key') = ? RETURNING value",
            (count, self._identity.identity),
        )
        if row is None:
            self._refuse_numbering(count, floor)
        return self._identity.accept(row[0] - count, count, floor)

    def add_batch(self, batch: CallBatch) -> int:
        count = len(batch)
        if not count:
            return self.allocate_sequence(0)
        return self._add_batch(batch, ())

    def add_batch_with_entry(self, batch: CallBatch, entry: dict[str, Any], limit: int) -> int:
        if not len(batch) or limit <= 0:
            return batch_then_entry(self, batch, entry, limit)
        text = jsontext.dumps({**entry, "callIds": []})  # named by `calls_from` when read
        rider = (_APPEND_JOURNAL_OF_BATCH, (text, len(batch), call_rows.key_text(batch.id_key)))
        try:
            self._set_journal_limit(limit)
            return self._add_batch(batch, (rider,))
        except sqlite3.Error as exc:
            if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
                raise  # waited for the lock long enough already
            # The transaction kept nothing. The journal fails open: the calls alone, then
            # the entry if it can be kept (the calls' own failure is raised from there).
            return batch_then_entry(self, batch, entry, limit)

    def _add_batch(self, batch: CallBatch, riders: Sequence[Statement]) -> int:
        """Number and keep the calls, and run `riders` right after in the same transaction."""
        count = len(batch)
        floor = self._identity.floor
        # No RETURNING: a statement returning rows holds its lock until they are read (the
        # GIL first); the row inserted is the first number (the rowid of `requests`).
        kept, *_ = self._group.execute_together(
            self._db,
            (
                (_ADD_BATCH, (count, call_rows.dumps_batch(batch), floor, self._identity.identity)),
                *riders,
            ),
        )
        if kept.rowcount != 1:
            self._refuse_numbering(count, floor)
        first = self._identity.accept(int(kept.lastrowid or 0), count, floor)
        self._wal.wrote(self._db())
        return first

    def _refuse_numbering(self, count: int, floor: int) -> None:
        """The counter did not move: say why, and refuse from now on."""
        self._identity.confirm(self._state("id_key"))
        kept = self._state("next_sequence")
        if kept is not None:
            self._identity.accept(kept, count, floor)  # refuses when it went back
        self._identity.refuse("the store has lost its call counter")

    def add_calls(self, calls: Sequence[Call], events: Sequence[PendingEvent] = ()) -> None:
        rows = call_rows.stored_runs(calls)
        insert = "INSERT INTO requests (first_seq, count, calls) VALUES (?, ?, ?)"
        if len(rows) == 1 and not events:
            self._change(insert, rows[0])  # one statement: its own transaction
            return
        if not rows and not events:
            return
        with self._write() as db:  # the calls and their request's events: all or none
            if rows:
                db.executemany(insert, rows)
            if events:
                db.executemany(_INSERT_EVENTS, [tuple(event) for event in events])

    def get_call(self, sequence: int) -> Call | None:
        # The file's identity comes with the request's row, in the same read.
        row = self._db().execute(
            "SELECT s.value, r.first_seq, r.count, r.calls FROM state AS s LEFT JOIN"
            " (SELECT first_seq, count, calls FROM requests WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1)"
            " AS r ON 1 WHERE s.name = 'id_key'",
            (sequence,),
        ).fetchone()
        self._identity.confirm(None if row is None else row[0])
        _, first, count, table = row
        if first is None or sequence >= first + count:
            return None
        return call_rows.stored_call(first, table, sequence)

    def list_calls(self) -> list[Call]:
        calls: list[Call] = []
        for first, table in self._db().execute("SELECT first_seq, calls FROM requests ORDER BY first_seq"):
            calls.extend(call_rows.stored_calls(first, table))
        return calls

    def count_calls(self) -> int:
        return self._db().execute("SELECT value FROM state WHERE name = 'calls'").fetchone()[0]

    # -- the control plane's generation ----------------------------------------

    def generation(self) -> int | None:
        return self._state("generation")

    def pulse(self) -> Pulse:
        generation, offset = self._db().execute(PULSE).fetchone()
        return Pulse(generation, float(offset or 0.0))

    # -- the id key ----------------------------------------------------------

    def id_key(self) -> int:
        return int(self._identity.identity, 16)

    # -- the clock -------------------------------------------------------------

    def _state(self, name: str) -> Any:
        row = self._db().execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    def clock_base(self, proposed: float, *, replace: bool = False) -> float:
        # Read first: a restart that changes nothing writes nothing, so it works on a full disk.
        base, offset = self._kept_clock()
        if base is not None and (not replace or (base == proposed and offset == 0.0)):
            return base
        with self._write() as db:
            kept = None if replace else self._state("clock_base")  # set meanwhile by another worker
            if kept is not None:
                return float(kept)
            db.execute("INSERT OR REPLACE INTO state (name, value) VALUES ('clock_base', ?)", (proposed,))
            db.execute("UPDATE state SET value = 0.0 WHERE name = 'clock_offset'")
            return float(proposed)

    def kept_clock(self) -> tuple[float | None, float]:
        return self._kept_clock()

    def _kept_clock(self) -> tuple[float | None, float]:
        rows = dict(
            self._db().execute("SELECT name, value FROM state WHERE name IN ('clock_base', 'clock_offset')")
        )
        base = rows.get("clock_base")
        return (None if base is None else float(base)), float(rows.get("clock_offset") or 0.0)

    def forget_clock(self) -> None:
        with self._write() as db:
            db.execute("DELETE FROM state WHERE name = 'clock_base'")
            db.execute("UPDATE state SET value = 0.0 WHERE name = 'clock_offset'")

    def clock_offset(self) -> float:
        return float(self._state("clock_offset") or 0.0)

    def add_clock_offset(self, seconds: float) -> None:
        self._change("UPDATE state SET value = value + ? WHERE name = 'clock_offset'", (seconds,))

    # -- scenario rules ----------------------------------------------------------

    def add_scenario(self, rule: ScenarioRule) -> None:
        self._change("INSERT INTO scenarios (id, rule) VALUES (?, ?)", (rule.id, codec.dumps(rule)))

    def list_scenarios(self) -> list[ScenarioRule]:
        rows = self._db().execute("SELECT rule FROM scenarios ORDER BY n")
        return [codec.loads(rule, ScenarioRule) for (rule,) in rows]

    def delete_scenario(self, rule_id: str) -> bool:
        return self._change("DELETE FROM scenarios WHERE id = ?", (rule_id,)) > 0

    def clear_scenarios(self) -> int:
        return self._change("DELETE FROM scenarios")

    # -- the journal -------------------------------------------------------------

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        text = jsontext.dumps(entry)
        self._set_journal_limit(limit)
        seq = int(self._group.execute(self._db, _APPEND_JOURNAL, (text,)).lastrowid or 0)
        self._wal.wrote(self._db())
        return seq

    def _set_journal_limit(self, limit: int) -> None:
        """Keep the journal's limit (written when this thread first sees it, or it changed)."""
        if getattr(self._local, "journal_limit", None) != limit:
            self._db().execute(
                "UPDATE state SET value = ? WHERE name = 'journal_limit'", (max(limit, 0),)
            )
            self._local.journal_limit = limit

    def _entry(
        self, seq: int, text: str, calls_from: int | None, calls_count: int | None, calls_key: str | None
    ) -> dict[str, Any]:
        """A kept entry as it was appended: its number, and the ids of the calls it names."""
        entry = json.loads(text)
        if calls_from is not None and calls_key is not None:
            entry["callIds"] = call_rows.run_ids(calls_key, calls_from, calls_count or 0)
        entry["seq"] = seq
        return entry

    def journal_entries(self) -> list[dict[str, Any]]:
        rows = self._db().execute(
            f"SELECT {_ENTRY_COLUMNS} FROM journal WHERE {_KEPT_JOURNAL} ORDER BY seq DESC"
        )
        return [self._entry(*row) for row in rows]

    def journal_page(
        self, where: JournalFilter, *, limit: int, offset: int = 0, before: int | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        conditions, args = self._journal_conditions(where)
        counted = " AND ".join([_KEPT_JOURNAL, *conditions])
        paged, paged_args = counted, list(args)
        if before is not None:
            paged, paged_args = f"{counted} AND seq < ?", [*args, before]
        db = self._db()
        db.execute("BEGIN")  # one snapshot for the count and the page
        try:
            (total,) = db.execute(f"SELECT COUNT(*) FROM journal WHERE {counted}", args).fetchone()
            rows = db.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM journal WHERE {paged} ORDER BY seq DESC LIMIT ? OFFSET ?",
                (*paged_args, limit, offset),
            ).fetchall()
            db.execute("COMMIT")
        except BaseException:
            self._roll_back(db)
            raise
        return int(total), [self._entry(*row) for row in rows]

    @staticmethod
    def _journal_conditions(where: JournalFilter) -> tuple[list[str], list[Any]]:
        """SQL conditions for a filter, read inside SQLite (json_extract): no entry reaches
        Python unless it is on the page."""
        conditions = [f"json_extract(entry, '$.{field}') = ?" for field in where.equalities()]
        args: list[Any] = list(where.equalities().values())
        if where.phone_number is not None:
            conditions.append(
                "EXISTS (SELECT 1 FROM json_each(entry, '$.phoneNumbers') WHERE value = ?)"
            )
            args.append(where.phone_number)
        return conditions, args

    def clear_journal(self) -> None:
        with self._write() as db:
            db.execute(_RAISE_JOURNAL_FLOOR)
            db.execute("DELETE FROM journal")

    # -- faults --------------------------------------------------------------------

    def add_fault(self, fault: dict[str, Any]) -> dict[str, Any]:
        with self._write() as db:
            (number,) = db.execute(
                "UPDATE state SET value = value + 1 WHERE name = 'fault_sequence' RETURNING value"
            ).fetchone()
            stored = {**fault, "id": f"fault-{number}", "hits": 0}
            db.execute(
                "INSERT INTO faults (id, fault, remaining, hits) VALUES (?, ?, ?, 0)",
                (stored["id"], jsontext.dumps(stored), stored.get("remaining")),
            )
        return stored

    def list_faults(self) -> list[dict[str, Any]]:
        rows = self._db().execute("SELECT fault, remaining, hits FROM faults ORDER BY n")
        return [{**json.loads(fault), "remaining": remaining, "hits": hits} for fault, remaining, hits in rows]

    def remove_fault(self, fault_id: str) -> bool:
        return self._change("DELETE FROM faults WHERE id = ?", (fault_id,)) > 0

    def clear_faults(self) -> None:
        self._change("DELETE FROM faults")

    def hit_fault(self, fault_id: str) -> int | None:
        row = self._change_returning("UPDATE faults SET hits = hits + 1 WHERE id = ? RETURNING hits", (fault_id,))
        return None if row is None else int(row[0])

    def consume_fault(self, fault_id: str) -> bool:
        with self._write() as db:
            row = db.execute("SELECT remaining FROM faults WHERE id = ?", (fault_id,)).fetchone()
            if row is None:
                return False
            (remaining,) = row
            if remaining is None:
                return True
            if remaining <= 1:
                db.execute("DELETE FROM faults WHERE id = ?", (fault_id,))
                return remaining == 1
            db.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (fault_id,))
            return True

    # -- rate limits ---------------------------------------------------------------

    def take_token(self, key: str, rate: float, burst: int, now: float) -> float:
        with self._write() as db:
            row = db.execute("SELECT tokens, at FROM buckets WHERE key = ?", (key,)).fetchone()
            tokens, then = (float(burst), now) if row is None else row
            tokens = min(float(burst), tokens + max(now - then, 0.0) * rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / rate
            db.execute("INSERT OR REPLACE INTO buckets (key, tokens, at) VALUES (?, ?, ?)", (key, tokens, now))
        return wait

    def rate_limit(self) -> dict[str, Any] | None:
        value = self._state("rate_limit")
        return None if value is None else json.loads(value)

    def set_rate_limit(self, config: dict[str, Any] | None) -> None:
        with self._write() as db:
            if config is None:
                db.execute("DELETE FROM state WHERE name = 'rate_limit'")
            else:
                db.execute(
                    "INSERT OR REPLACE INTO state (name, value) VALUES ('rate_limit', ?)", (jsontext.dumps(config),)
                )
            db.execute("DELETE FROM buckets")
            db.execute(BUMP)

    def add_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        with self._write() as db:
            db.executemany(
                "INSERT OR IGNORE INTO owned (key, call_id) VALUES (?, ?)", [(key, call_id) for call_id in call_ids]
            )

    def owned_calls(self, key: str) -> list[str]:
        return [call_id for (call_id,) in self._db().execute("SELECT call_id FROM owned WHERE key = ?", (key,))]

    def drop_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        with self._write() as db:
            db.executemany("DELETE FROM owned WHERE key = ? AND call_id = ?", [(key, call_id) for call_id in call_ids])

    # -- webhooks ------------------------------------------------------------------

    def webhook_config(self) -> dict[str, Any] | None:
        value = self._state("webhook_config")
        return None if value is None else json.loads(value)

    def set_webhook_config(self, config: dict[str, Any] | None) -> None:
        with self._write() as db:
            if config is None:
                db.execute("DELETE FROM state WHERE name = 'webhook_config'")
            else:
                db.execute(
                    "INSERT OR REPLACE INTO state (name, value) VALUES ('webhook_config', ?)", (jsontext.dumps(config),)
                )
            db.execute(BUMP)

    def add_webhook_events(self, events: Sequence[PendingEvent]) -> None:
        if not events:
            return
        with self._write() as db:
            db.executemany(_INSERT_EVENTS, [tuple(event) for event in events])

    def claim_due_events(self, now: float, limit: int, claimer: str, lease_seconds: float) -> list[PendingEvent]:
        with self._write() as db:
            db.execute(
                "UPDATE webhook_events SET claimer = NULL, held_until = NULL"
                " WHERE claimer IS NOT NULL AND held_until <= ?",
                (now,),
            )
            rows = db.execute(
                "SELECT call_id, sequence, due_at, attempt, token_fingerprint FROM webhook_events"
                " WHERE claimer IS NULL AND due_at <= ? ORDER BY due_at, sequence LIMIT ?",
                (now, limit),
            ).fetchall()
            db.executemany(
                "UPDATE webhook_events SET claimer = ?, held_until = ? WHERE call_id = ?",
                [(claimer, now + lease_seconds, row[0]) for row in rows],
            )
        return [PendingEvent(*row) for row in rows]

    def finish_event(self, call_id: str, claimer: str) -> bool:
        return self._change("DELETE FROM webhook_events WHERE call_id = ? AND claimer = ?", (call_id, claimer)) > 0

    def reschedule_event(self, event: PendingEvent, claimer: str) -> bool:
        return (
            self._change(
                "UPDATE webhook_events SET sequence = ?, due_at = ?, attempt = ?, token_fingerprint = ?,"
                " claimer = NULL, held_until = NULL WHERE call_id = ? AND claimer = ?",
                (event.sequence, event.due_at, event.attempt, event.token_fingerprint, event.call_id, claimer),
            )
            > 0
        )

    def count_pending_events(self) -> int:
        return self._db().execute("SELECT COUNT(*) FROM webhook_events").fetchone()[0]

    def add_delivery(self, delivery: Delivery) -> Delivery:
        with self._write() as db:
            (last,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM webhook_deliveries").fetchone()
            kept = dataclasses.replace(delivery, id=last + 1)
            db.execute(
                "INSERT INTO webhook_deliveries (id, call_id, delivery) VALUES (?, ?, ?)",
                (kept.id, kept.call_id, codec.dumps(kept)),
            )
            db.execute("DELETE FROM webhook_deliveries WHERE id <= ?", (kept.id - MAX_DELIVERIES,))
        return kept

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        row = self._db().execute("SELECT delivery FROM webhook_deliveries WHERE id = ?", (delivery_id,)).fetchone()
        return None if row is None else codec.loads(row[0], Delivery)

    def list_deliveries(
        self, *, call_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[int, list[Delivery]]:
        where, args = ("WHERE call_id = ?", (call_id,)) if call_id is not None else ("", ())
        db = self._db()
        (total,) = db.execute(f"SELECT COUNT(*) FROM webhook_deliveries {where}", args).fetchone()
        rows = db.execute(
            f"SELECT delivery FROM webhook_deliveries {where} ORDER BY id DESC LIMIT ? OFFSET ?", (*args, limit, offset)
        )
        return total, [codec.loads(delivery, Delivery) for (delivery,) in rows]

    # -- everything ----------------------------------------------------------------

    def reset(self) -> None:
        """Forget calls, rules, the kept clock (base and offset) and the control plane's state;
        keep the sequence counter and the id key, so no id is issued twice."""
        with self._write() as db:
            db.execute(_RAISE_JOURNAL_FLOOR)
            for table in (
                "requests", "scenarios", "journal", "faults", "buckets", "owned",
                "webhook_events", "webhook_deliveries", *SMS_TABLES,
            ):
                db.execute(f"DELETE FROM {table}")
            db.execute("UPDATE state SET value = 0 WHERE name IN ('calls', 'clock_offset')")
            db.execute("DELETE FROM state WHERE name IN ('rate_limit', 'webhook_config', 'clock_base')")
            db.execute(BUMP)

    def close(self) -> None:
        """Close this thread's connection (others close when their process ends)."""
        held = getattr(self._local, "held", None)
        if held is not None:
            held[1].close()
            self._local.held = None
