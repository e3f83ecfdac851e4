"""SMS messages and templates in SQLite: a mixin of `SqliteStore` (which owns the connections,
the write transactions and the identity) and the migration that adds its tables.

- `sms_requests`: one row per accepted request, keyed by its first sequence
  number, holding all its messages as one JSON table (`codec.dumps_table`), as
  `requests` holds calls; the two share the sequence, so a number is in one of
  them at most;
- `sms_templates`: templates registered at run time, by id; a NULL template
  marks one deleted.

A request's messages and their pending webhook events are written in one
transaction, committed before the method returns.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from bitel_mock.domain.sms_model import Message, SmsTemplate
from bitel_mock.store import codec
from bitel_mock.store.guard import guarded
from bitel_mock.store.identity import StoreIdentity
from bitel_mock.store.runs import consecutive_runs
from bitel_mock.store.sqlite_group import GroupCommit
from bitel_mock.store.sqlite_wal import WalKeeper
from bitel_mock.webhooks.model import PendingEvent

SMS_TABLES = ("sms_requests", "sms_templates")
"""What a reset empties."""

_INSERT_MESSAGES = "INSERT INTO sms_requests (first_seq, count, messages) VALUES (?, ?, ?)"
_INSERT_EVENTS = (
    "INSERT OR REPLACE INTO webhook_events (call_id, sequence, due_at, attempt, token_fingerprint)"
    " VALUES (?, ?, ?, ?, ?)"
)


def add_sms_tables(db: sqlite3.Connection) -> None:
    """Migration: the tables of SMS messages and templates."""
    db.execute(
        "CREATE TABLE sms_requests ("
        " first_seq INTEGER PRIMARY KEY,"
        " count INTEGER NOT NULL,"
        " messages TEXT NOT NULL)"
    )
    db.execute("CREATE TABLE sms_templates (id INTEGER PRIMARY KEY, template TEXT)")


def _sqlite_trouble(exc: BaseException) -> str | None:
    # Imported when needed: the SQLite store imports this module to build its class.
    from bitel_mock.store.sqlite import sqlite_trouble

    return sqlite_trouble(exc)


@guarded(_sqlite_trouble)
class SqliteSmsMixin:
    """Messages by sequence number, templates by id."""

    _db: Callable[[], sqlite3.Connection]
    _write: Callable[[], AbstractContextManager[sqlite3.Connection]]
    _identity: StoreIdentity
    _wal: WalKeeper
    _group: GroupCommit

    def add_messages(
        self, messages: Sequence[Message], events: Sequence[PendingEvent] = ()
    ) -> None:
        rows = [
            (run[0].sequence, len(run), codec.dumps_table(Message, run))
            for run in consecutive_runs(messages)  # type: ignore[arg-type]
        ]
        if len(rows) == 1 and not events:
            self._group.execute(self._db, _INSERT_MESSAGES, rows[0])
            self._wal.wrote(self._db())
            return
        if not rows and not events:
            return
        with self._write() as db:  # the messages and their request's events: all or none
            db.executemany(_INSERT_MESSAGES, rows)
            db.executemany(_INSERT_EVENTS, [tuple(event) for event in events])

    def get_message(self, sequence: int) -> Message | None:
        # The file's identity comes with the request's row, in the same read.
        row = (
            self._db()
            .execute(
                "SELECT s.value, r.first_seq, r.count, r.messages FROM state AS s LEFT JOIN"
                " (SELECT first_seq, count, messages FROM sms_requests WHERE first_seq <= ?"
                " ORDER BY first_seq DESC LIMIT 1) AS r ON 1 WHERE s.name = 'id_key'",
                (sequence,),
            )
            .fetchone()
        )
        self._identity.confirm(None if row is None else row[0])
        _, first, count, table = row
        if first is None or sequence >= first + count:
            return None
        return codec.decode_table_row(Message, json.loads(table), sequence - first)

    def list_messages(self) -> list[Message]:
        messages: list[Message] = []
        for count, table in self._db().execute(
            "SELECT count, messages FROM sms_requests ORDER BY first_seq"
        ):
            decoded = json.loads(table)
            messages.extend(
                codec.decode_table_row(Message, decoded, offset) for offset in range(count)
            )
        return messages

    def sms_templates(self) -> dict[int, SmsTemplate | None]:
        rows = self._db().execute("SELECT id, template FROM sms_templates")
        return {
            template_id: None if text is None else codec.loads(text, SmsTemplate)
            for template_id, text in rows
        }

    def put_sms_template(self, template_id: int, template: SmsTemplate | None) -> None:
        self._db().execute(
            "INSERT OR REPLACE INTO sms_templates (id, template) VALUES (?, ?)",
            (template_id, None if template is None else codec.dumps(template)),
        )
