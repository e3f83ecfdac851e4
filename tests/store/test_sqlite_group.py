"""Group commit: the statements of many threads are committed together, each thread returns only
after its own is committed, and a transaction that fails keeps none of its statements."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bitel_mock.store.sqlite_group import GroupCommit

THREADS = 8
STATEMENTS_PER_THREAD = 50


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A WAL file with one table, `t`."""
    path = tmp_path / "group.sqlite3"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT)")
    setup.close()
    return path


@pytest.fixture
def connect(path: Path) -> Iterator[Callable[[], sqlite3.Connection]]:
    """Each thread's own connection to `path`, as the store keeps them; all closed after."""
    local = threading.local()
    opened: list[sqlite3.Connection] = []

    def connection() -> sqlite3.Connection:
        db = getattr(local, "db", None)
        if db is None:
            db = local.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
            opened.append(db)
        return db

    yield connection
    for db in opened:
        db.close()


def test_every_statement_of_every_thread_is_committed_once_with_its_own_row_id(
    path: Path, connect: Callable[[], sqlite3.Connection]
) -> None:
    group = GroupCommit()
    ids: dict[str, int | None] = {}
    start = threading.Barrier(THREADS)

    def write(thread: int) -> None:
        start.wait()
        for n in range(STATEMENTS_PER_THREAD):
            value = f"{thread}-{n}"
            written = group.execute(connect, "INSERT INTO t (value) VALUES (?)", (value,))
            assert written.rowcount == 1
            ids[value] = written.lastrowid

    threads = [threading.Thread(target=write, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Another connection sees every row, each under the id its writer was told.
    rows = dict(sqlite3.connect(path).execute("SELECT value, id FROM t").fetchall())
    assert rows == ids
    assert len(rows) == THREADS * STATEMENTS_PER_THREAD


def test_a_statement_that_fails_fails_its_whole_group_and_keeps_nothing(
    path: Path, connect: Callable[[], sqlite3.Connection]
) -> None:
    group = GroupCommit()
    good = ("INSERT INTO t (value) VALUES (?)", ("kept?",))
    bad = ("INSERT INTO nowhere (value) VALUES (?)", ("x",))
    # Two statements handed over while a third thread writes: one turn, one transaction.
    group._writing = True
    results: dict[str, BaseException | None] = {}

    def hand_over(name: str, sql: str, args: tuple[str, ...]) -> None:
        try:
            group.execute(connect, sql, args)
            results[name] = None
        except sqlite3.Error as exc:
            results[name] = exc

    threads = [
        threading.Thread(target=hand_over, args=("good", *good)),
        threading.Thread(target=hand_over, args=("bad", *bad)),
    ]
    for thread in threads:
        thread.start()
    while len(group._waiting) < 2:
        threading.Event().wait(0.001)  # both handed over: polled, bounded by the join below
    with group._turn:
        group._writing = False
        group._turn.notify_all()
    for thread in threads:
        thread.join(timeout=30)
    assert isinstance(results["good"], sqlite3.OperationalError)
    assert isinstance(results["bad"], sqlite3.OperationalError)
    assert "no such table: nowhere" in str(results["good"])
    assert results["good"] is not results["bad"]  # each thread raises its own copy
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (0,)
    # The connection is usable again: the next statement is its own transaction, and kept.
    assert group.execute(connect, *good).rowcount == 1
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_lone_statement_is_a_transaction_of_its_own(connect: Callable[[], sqlite3.Connection]) -> None:
    traced: list[str] = []
    connect().set_trace_callback(traced.append)
    GroupCommit().execute(connect, "INSERT INTO t (value) VALUES (?)", ("one",))
    assert traced == ["INSERT INTO t (value) VALUES ('one')"]
    with pytest.raises(sqlite3.OperationalError):
        GroupCommit().execute(connect, "INSERT INTO nowhere VALUES (1)")


def test_a_threads_statements_run_in_order_in_one_transaction(
    path: Path, connect: Callable[[], sqlite3.Connection]
) -> None:
    traced: list[str] = []
    connect().set_trace_callback(traced.append)
    first, second = GroupCommit().execute_together(
        connect,
        (
            ("INSERT INTO t (value) VALUES (?)", ("first",)),
            ("INSERT INTO t (value) SELECT 'after ' || last_insert_rowid()", ()),
        ),
    )
    assert traced == [
        "BEGIN IMMEDIATE",
        "INSERT INTO t (value) VALUES ('first')",
        "INSERT INTO t (value) SELECT 'after ' || last_insert_rowid()",
        "COMMIT",
    ]
    assert (first.rowcount, second.rowcount) == (1, 1)
    rows = sqlite3.connect(path).execute("SELECT id, value FROM t ORDER BY id").fetchall()
    assert rows == [(first.lastrowid, "first"), (second.lastrowid, f"after {first.lastrowid}")]


def test_a_later_statement_that_fails_undoes_the_earlier_ones(
    path: Path, connect: Callable[[], sqlite3.Connection]
) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        GroupCommit().execute_together(
            connect,
            (("INSERT INTO t (value) VALUES (?)", ("undone",)), ("INSERT INTO nowhere VALUES (1)", ())),
        )
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert not connect().in_transaction
