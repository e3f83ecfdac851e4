"""A session guard: the tests never write the default store of `bitel-mock serve`.

`serve` without `--store` keeps its state in `bitel-mock.sqlite3` in its working
directory, so a test that serves from the repository would leave state behind for the
next run (and for a developer's own `make run`). At the end of the session the guard
fails if that file, or its WAL companions, appeared or changed in the repository or in
the working directory the tests ran from.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bitel_mock.store.url import DEFAULT_SQLITE_PATH

REPOSITORY = Path(__file__).resolve().parent.parent
WATCHED_SUFFIXES = ("", "-wal", "-shm", "-journal")

Snapshot = dict[Path, tuple[int, int] | None]


def watched_files(*directories: Path) -> list[Path]:
    """The default store's files in these directories."""
    return sorted(
        {(directory / DEFAULT_SQLITE_PATH).with_name(DEFAULT_SQLITE_PATH + suffix)
         for directory in directories for suffix in WATCHED_SUFFIXES}
    )


def snapshot(files: list[Path]) -> Snapshot:
    """Each file's (modification time, size), or None when absent."""
    taken: Snapshot = {}
    for path in files:
        try:
            stat = path.stat()
        except FileNotFoundError:
            taken[path] = None
        else:
            taken[path] = (stat.st_mtime_ns, stat.st_size)
    return taken


def changed(before: Snapshot, after: Snapshot) -> list[Path]:
    """The files created, changed or removed between two snapshots."""
    return [path for path in before if before[path] != after[path]]


@pytest.fixture(scope="session", autouse=True)
def no_default_store_written() -> Iterator[None]:
    files = watched_files(REPOSITORY, Path(os.getcwd()))
    before = snapshot(files)
    yield
    touched = changed(before, snapshot(files))
    assert not touched, (
        "a test wrote the default store of `bitel-mock serve` "
        f"({', '.join(map(str, touched))}): give it --store or a temporary working directory"
    )
