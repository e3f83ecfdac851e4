"""The journal is cut back to its limit in steps, never shows more than its limit, and numbers
its entries on and on: after it is emptied, and (SQLite) across the upgrade that changed how."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bitel_mock.store import Store
from bitel_mock.store.journal_filter import JournalFilter
from bitel_mock.store.sqlite import JOURNAL_TRIM_STEP, MIGRATIONS, SqliteStore
from tests.store.conftest import STORE_KINDS

LIMIT = 10
EVERYTHING = JournalFilter()


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
@pytest.mark.parametrize(
    "appended", [LIMIT - 1, LIMIT, LIMIT + 1, JOURNAL_TRIM_STEP - 1, 2 * JOURNAL_TRIM_STEP + 3]
)
def test_the_journal_shows_its_newest_entries_up_to_its_limit(store: Store, appended: int) -> None:
    numbers = [store.append_journal({"method": "GET", "n": n}, LIMIT) for n in range(appended)]
    shown = numbers[-LIMIT:][::-1]
    assert [entry["seq"] for entry in store.journal_entries()] == shown
    total, page = store.journal_page(EVERYTHING, limit=100)
    assert (total, [entry["seq"] for entry in page]) == (len(shown), shown)
    assert store.journal_page(JournalFilter(method="GET"), limit=0)[0] == len(shown)


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
def test_numbers_go_on_after_the_journal_is_emptied(store: Store) -> None:
    last = [store.append_journal({"n": n}, LIMIT) for n in range(3)][-1]
    store.clear_journal()
    assert store.journal_entries() == []
    assert store.append_journal({"n": 3}, LIMIT) == last + 1


@pytest.mark.parametrize("make_store", ["sqlite", "redis"], indirect=True)
def test_numbers_go_on_after_a_reset(store: Store) -> None:
    last = [store.append_journal({"n": n}, LIMIT) for n in range(3)][-1]
    store.reset()
    assert store.append_journal({"n": 3}, LIMIT) == last + 1


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM journal").fetchone()
    db.close()
    return count


def test_the_file_keeps_at_most_one_step_beyond_the_limit(tmp_path: Path) -> None:
    assert JOURNAL_TRIM_STEP == 64
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path)
    for n in range(3 * JOURNAL_TRIM_STEP):
        store.append_journal({"n": n}, LIMIT)
        assert _rows(path) <= LIMIT + JOURNAL_TRIM_STEP
    assert _rows(path) == LIMIT  # the last append was a step: cut back to the limit


def test_an_older_files_journal_is_kept_and_numbered_on(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    older = SqliteStore(path, migrations=MIGRATIONS[:6])  # the journal numbered by AUTOINCREMENT
    numbers = [older.append_journal({"n": n}, LIMIT) for n in range(LIMIT + 5)]
    older.close()
    store = SqliteStore(path)
    assert [entry["n"] for entry in store.journal_entries()] == list(range(LIMIT + 4, 4, -1))
    assert store.append_journal({"n": "next"}, LIMIT) == numbers[-1] + 1


def test_an_older_files_emptied_journal_numbers_past_what_it_gave(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    older = SqliteStore(path, migrations=MIGRATIONS[:6])
    last = [older.append_journal({"n": n}, LIMIT) for n in range(4)][-1]
    older.clear_journal()
    older.close()
    assert SqliteStore(path).append_journal({"n": "next"}, LIMIT) == last + 1
