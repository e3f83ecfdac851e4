"""The session guard against tests writing the default store: it sees a file appear or change."""

from __future__ import annotations

import os
from pathlib import Path

from tests.leak_guard import changed, snapshot, watched_files


def test_it_watches_the_default_store_and_its_companions(tmp_path: Path) -> None:
    names = {path.name for path in watched_files(tmp_path)}
    assert names == {
        "bitel-mock.sqlite3", "bitel-mock.sqlite3-wal", "bitel-mock.sqlite3-shm", "bitel-mock.sqlite3-journal",
    }


def test_a_file_that_appears_is_reported(tmp_path: Path) -> None:
    files = watched_files(tmp_path)
    before = snapshot(files)
    (tmp_path / "bitel-mock.sqlite3").write_bytes(b"state")
    assert changed(before, snapshot(files)) == [tmp_path / "bitel-mock.sqlite3"]


def test_a_file_that_was_there_and_is_written_again_is_reported(tmp_path: Path) -> None:
    store = tmp_path / "bitel-mock.sqlite3"
    store.write_bytes(b"old")
    files = watched_files(tmp_path)
    before = snapshot(files)
    assert changed(before, snapshot(files)) == []
    store.write_bytes(b"newer state")
    os.utime(store, ns=(before[store][0] + 1_000_000, before[store][0] + 1_000_000))
    assert changed(before, snapshot(files)) == [store]
