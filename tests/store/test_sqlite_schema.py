"""The SQLite file's schema is versioned: newer releases open older files, never the reverse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bitel_mock.domain.model import Call, CallKind
from bitel_mock.store.sqlite import MIGRATIONS, SchemaTooNew, SqliteStore
from tests.factories import plan_for


def _call(sequence: int) -> Call:
    return Call(
        id=f"{sequence:032x}", sequence=sequence, phone_number="09121234567",
        local_number="09121234567", kind=CallKind.BATCH, request_date=1_700_000_000, retry_count=1,
        plan=plan_for(1_700_000_000),
    )


def _add_notes_table(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE notes (name TEXT PRIMARY KEY, body TEXT)")


def test_a_new_file_is_created_in_wal_mode_at_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "calls.sqlite3"
    store = SqliteStore(path)
    assert path.exists() and store.schema_version() == len(MIGRATIONS)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_of_an_older_version_is_upgraded_and_keeps_its_calls(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    old = SqliteStore(path, migrations=MIGRATIONS)
    first = old.allocate_sequence(2)
    kept = [_call(first), _call(first + 1)]
    old.add_calls(kept)
    key = old.id_key()
    old.close()

    newer = SqliteStore(path, migrations=(*MIGRATIONS, _add_notes_table))
    assert newer.schema_version() == len(MIGRATIONS) + 1
    assert [newer.get_call(call.sequence) for call in kept] == kept
    assert newer.id_key() == key
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_an_empty_file_made_elsewhere_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    sqlite3.connect(path).close()
    store = SqliteStore(path)
    assert store.count_calls() == 0 and store.schema_version() == len(MIGRATIONS)


def test_a_file_of_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    SqliteStore(path, migrations=(*MIGRATIONS, _add_notes_table)).close()
    with pytest.raises(SchemaTooNew, match="schema version"):
        SqliteStore(path)
