"""The SQLite store keeps its write-ahead log small: every CHECK_EVERY writes of a process, a log
over LIMIT_BYTES is cut to nothing when no connection is reading it; a reader only postpones it,
and the writes stay committed either way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bitel_mock.store.sqlite import SqliteStore, fold_log
from bitel_mock.store.sqlite_wal import CHECK_EVERY, LIMIT_BYTES, WalKeeper, truncate
from tests.store.batches import batch_of


def test_the_log_is_looked_at_every_64_writes_and_cut_over_16_mib() -> None:
    assert (CHECK_EVERY, LIMIT_BYTES) == (64, 16 * 1024 * 1024)
    keeper = WalKeeper(Path("unused.sqlite3"))
    assert (keeper.check_every, keeper.limit_bytes) == (64, 16 * 1024 * 1024)
    assert keeper.wal_path == Path("unused.sqlite3-wal")


def _wal_size(path: Path) -> int:
    return Path(f"{path}-wal").stat().st_size


def _store(tmp_path: Path, *, check_every: int, limit_bytes: int) -> tuple[SqliteStore, Path]:
    path = tmp_path / "calls.sqlite3"
    store = SqliteStore(path)
    store._wal = WalKeeper(path, check_every=check_every, limit_bytes=limit_bytes)
    return store, path


def test_a_log_over_the_limit_is_cut_to_nothing_at_the_check(tmp_path: Path) -> None:
    store, path = _store(tmp_path, check_every=3, limit_bytes=1)
    store.add_batch(batch_of(2))
    store.append_journal({"method": "GET"}, 10)
    assert _wal_size(path) > 0  # two writes: not yet looked at
    store.add_batch(batch_of(2))  # the third write: looked at, over the limit, cut
    assert _wal_size(path) == 0
    assert len(store.list_calls()) == 4


def test_every_hot_write_counts(tmp_path: Path) -> None:
    store, path = _store(tmp_path, check_every=1, limit_bytes=1)
    store._db().execute("CREATE TABLE scratch (n INTEGER)")
    for write in (
        lambda: store.add_batch(batch_of(1)),
        lambda: store.append_journal({"method": "GET"}, 10),
        store.clear_journal,  # a transaction of several statements
    ):
        store._db().execute("INSERT INTO scratch VALUES (1)")  # something in the log
        assert _wal_size(path) > 0
        write()
        assert _wal_size(path) == 0


def test_a_log_under_the_limit_is_left_alone(tmp_path: Path) -> None:
    store, path = _store(tmp_path, check_every=1, limit_bytes=1 << 30)
    store.add_batch(batch_of(2))
    assert _wal_size(path) > 0


def test_a_reader_postpones_the_cut_and_nothing_is_lost(tmp_path: Path) -> None:
    store, path = _store(tmp_path, check_every=1, limit_bytes=1)
    store.add_batch(batch_of(1))
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM requests").fetchone()  # holds a snapshot of the log
    store.add_batch(batch_of(1))
    assert _wal_size(path) > 0
    assert truncate(store._db()) is False
    reader.execute("COMMIT")
    reader.close()
    store.add_batch(batch_of(1))
    assert _wal_size(path) == 0
    assert len(store.list_calls()) == 3


def test_folding_the_log_of_a_file_that_is_gone_creates_nothing(tmp_path: Path) -> None:
    fold_log(tmp_path / "gone.sqlite3")
    assert list(tmp_path.iterdir()) == []
