"""A file from before the generation, the stepped journal and batches numbered in their insert
opens upgraded: its calls are found, numbering goes on after them, and every change of the
control plane moves the new generation."""

from __future__ import annotations

from pathlib import Path

from bitel_mock.domain.model import PlacedCalls
from bitel_mock.store.sqlite import MIGRATIONS, SqliteStore
from tests.store.batches import batch_of
from tests.store.test_store_identity import _place

BEFORE_THE_GENERATION = 5


def test_an_older_files_calls_are_found_and_numbering_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    older = SqliteStore(path, migrations=MIGRATIONS[:BEFORE_THE_GENERATION])
    kept = _place(older, 3)
    assert older.generation() is None  # nothing is kept under an unknown generation
    older.close()

    store = SqliteStore(path)
    assert store.schema_version() == len(MIGRATIONS)
    assert [store.get_call(call.sequence) for call in kept] == kept
    batch = batch_of(2)
    placed = PlacedCalls(batch, store.add_batch(batch))
    assert placed.first_sequence == kept[-1].sequence + 1
    assert store.allocate_sequence(1) == placed.first_sequence + 2
    assert store.count_calls() == 5
    assert store.list_calls() == [*kept, *placed]


def test_an_upgraded_file_has_a_generation_that_changes_move(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    SqliteStore(path, migrations=MIGRATIONS[:BEFORE_THE_GENERATION]).close()
    store = SqliteStore(path)
    before = store.generation()
    assert isinstance(before, int)
    store.set_rate_limit({"rps": 1, "burst": 1, "maxWaiting": None})
    assert store.generation() == before + 1


def test_a_batch_numbered_beforehand_does_not_move_the_counter_again(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "calls.sqlite3")
    first = store.allocate_sequence(4)
    store.add_calls(PlacedCalls(batch_of(4), first))
    assert store.add_batch(batch_of(1)) == first + 4
    assert store.count_calls() == 5
