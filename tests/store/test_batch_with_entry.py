"""A placing request's calls and its journal entry kept together (`add_batch_with_entry`): the
entry names the calls by their ids in every store; in SQLite both are one transaction (no
entry for calls not kept); everywhere the journal fails open (calls kept without their entry
when it cannot be written)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bitel_mock.domain.model import PlacedCalls
from bitel_mock.store import Store
from bitel_mock.store.errors import StoreReplaced, StoreUnavailable
from bitel_mock.store.journal_filter import JournalFilter
from bitel_mock.store.journaled import batch_then_entry
from bitel_mock.store.sqlite import MIGRATIONS, SqliteStore
from tests.store.batches import batch_of
from tests.store.conftest import STORE_KINDS
from tests.store.sqlite_faults import failing_connection, writes

LIMIT = 10


def _entry(n: int = 0) -> dict[str, Any]:
    return {"method": "POST", "path": "/api/v2/voice/batch", "status": 200, "error": None, "n": n, "callIds": []}


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
@pytest.mark.parametrize("count", [1, 2, 100])
def test_the_entry_names_the_calls_it_was_kept_with(store: Store, count: int) -> None:
    before = store.append_journal({"n": "before"}, LIMIT)
    batch = batch_of(count, key=store.id_key())
    first = store.add_batch_with_entry(batch, _entry(), LIMIT)
    placed = PlacedCalls(batch, first)
    newest = store.journal_entries()[0]
    assert newest == {**_entry(), "callIds": placed.ids, "seq": before + 1}
    _, page = store.journal_page(JournalFilter(method="POST"), limit=1)
    assert page == [newest]
    assert [store.get_call(call.sequence) for call in placed] == list(placed)
    assert store.add_batch(batch_of(1, key=store.id_key())) == first + count


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
def test_a_batch_under_another_key_is_named_by_its_own_ids(store: Store) -> None:
    batch = batch_of(3, key=store.id_key() ^ 1)
    first = store.add_batch_with_entry(batch, _entry(), LIMIT)
    assert store.journal_entries()[0]["callIds"] == PlacedCalls(batch, first).ids


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
def test_a_journal_that_keeps_nothing_keeps_the_calls_alone(store: Store) -> None:
    batch = batch_of(2, key=store.id_key())
    first = store.add_batch_with_entry(batch, _entry(), 0)
    assert store.journal_entries() == []
    assert store.get_call(first + 1) == PlacedCalls(batch, first)[1]


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
def test_entries_kept_with_calls_are_cut_back_to_the_limit_like_any(store: Store) -> None:
    for n in range(LIMIT + 3):
        store.add_batch_with_entry(batch_of(1, key=store.id_key()), _entry(n), LIMIT)
    assert [entry["n"] for entry in store.journal_entries()] == list(range(LIMIT + 2, 2, -1))


def test_sqlite_keeps_the_calls_alone_once_when_their_entry_cannot_be_kept(tmp_path: Path) -> None:
    disk = failing_connection(lambda sql: writes(sql) and "INTO journal" in sql)
    store = SqliteStore(tmp_path / "calls.sqlite3", factory=disk)
    kept = store.add_batch(batch_of(2, key=store.id_key()))
    disk.failing = True
    batch = batch_of(3, key=store.id_key())
    first = store.add_batch_with_entry(batch, _entry(), LIMIT)  # the journal fails open
    assert first == kept + 2
    assert store.count_calls() == 5
    assert store.get_call(first + 2) == PlacedCalls(batch, first)[2]
    assert store.allocate_sequence(1) == first + 3  # numbered once
    assert store.journal_entries() == []


def test_sqlite_raises_what_keeps_the_calls_from_being_kept(tmp_path: Path) -> None:
    disk = failing_connection()  # every write
    store = SqliteStore(tmp_path / "calls.sqlite3", factory=disk)
    disk.failing = True
    with pytest.raises(StoreUnavailable, match="disk is full"):
        store.add_batch_with_entry(batch_of(3, key=store.id_key()), _entry(), LIMIT)
    disk.failing = False
    assert store.count_calls() == 0
    assert store.journal_entries() == []


def test_sqlite_keeps_no_entry_for_calls_it_refuses_to_number(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path)
    store.add_batch_with_entry(batch_of(1, key=store.id_key()), _entry(1), LIMIT)
    with sqlite3.connect(path) as db:  # another file's identity, behind the store's back
        db.execute("UPDATE state SET value = 'ffffffffffffffffffffffffffffffff' WHERE name = 'id_key'")
    db.close()
    with pytest.raises(StoreReplaced):
        store.add_batch_with_entry(batch_of(1, key=store.id_key()), _entry(2), LIMIT)
    assert [entry["n"] for entry in store.journal_entries()] == [1]


def test_an_older_files_entries_keep_their_ids_and_new_ones_name_their_calls(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    older = SqliteStore(path, migrations=MIGRATIONS[:-1])
    older.append_journal({**_entry(0), "callIds": ["written out"]}, LIMIT)
    older.close()
    store = SqliteStore(path)
    assert store.schema_version() == len(MIGRATIONS)
    batch = batch_of(2, key=store.id_key())
    first = store.add_batch_with_entry(batch, _entry(1), LIMIT)
    assert [entry["callIds"] for entry in store.journal_entries()] == [
        PlacedCalls(batch, first).ids,
        ["written out"],
    ]


class _JournalDown:
    """Keeps calls; its journal cannot be written."""

    def __init__(self) -> None:
        self.kept: list[Any] = []

    def add_batch(self, batch: Any) -> int:
        self.kept.append(batch)
        return 41

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        raise StoreUnavailable("journal down")


class _Recording(_JournalDown):
    def __init__(self) -> None:
        super().__init__()
        self.appended: list[tuple[dict[str, Any], int]] = []

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        self.appended.append((entry, limit))
        return 1


def test_apart_the_entry_follows_the_calls_with_their_ids() -> None:
    store = _Recording()
    batch = batch_of(2)
    entry = _entry()
    assert batch_then_entry(store, batch, entry, LIMIT) == 41
    assert store.appended == [({**entry, "callIds": PlacedCalls(batch, 41).ids}, LIMIT)]
    assert entry["callIds"] == []  # the caller's entry is left as it was


def test_apart_a_journal_that_cannot_be_written_leaves_the_calls_kept() -> None:
    store = _JournalDown()
    batch = batch_of(2)
    assert batch_then_entry(store, batch, _entry(), LIMIT) == 41
    assert store.kept == [batch]


def test_sqlite_does_not_wait_twice_for_a_lock_it_did_not_get(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    disk = failing_connection(lambda sql: "INTO journal" in sql, "database is locked", timeout=0.05)
    store = SqliteStore(path, factory=disk)
    disk.failing = True
    with pytest.raises(StoreUnavailable, match="locked"):
        store.add_batch_with_entry(batch_of(3, key=store.id_key()), _entry(), LIMIT)
    assert SqliteStore(path).count_calls() == 0  # not kept apart either: the lock was not had
