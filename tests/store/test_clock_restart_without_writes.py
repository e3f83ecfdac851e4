"""A restart that changes nothing of the kept clock writes nothing, so it works on a store that
refuses writes (a full disk, a Redis that is a read-only replica); a start that must change the
kept clock (nothing kept yet, or an explicit start time that moves it) still has to write."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.domain.clock import ClockMode, ClockStart, FixedClock, StoreClock
from bitel_mock.settings import Settings
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.redis import RedisStore
from bitel_mock.store.sqlite import SqliteStore
from tests.conftest import AUTH, VOICE_ID
from tests.store.redis_process import RedisProcess
from tests.store.sqlite_faults import any_write, failing_connection

START = 1_700_000_000
WALL = 1_800_000_000


def _manual(store: object, start_time: int | None = None) -> StoreClock:
    return StoreClock(store, ClockMode.MANUAL, start_time=start_time, wall=FixedClock(WALL))  # type: ignore[arg-type]


def _full_disk(path: Path) -> SqliteStore:
    """The file at `path` opened anew, on a disk where every write (even taking the write lock)
    fails."""
    disk = failing_connection(any_write)
    disk.failing = True
    return SqliteStore(path, factory=disk)


def _kept(path: Path, *, advanced: int) -> None:
    """A first run: a manual clock at START, moved by `advanced` seconds."""
    store = SqliteStore(path)
    clock = _manual(store, START)
    if advanced:
        clock.advance(advanced)
    store.close()


def test_a_manual_clock_resumes_on_a_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    _kept(path, advanced=3600)
    resumed = _manual(_full_disk(path))
    assert (resumed.now(), resumed.started) == (START + 3600, ClockStart.RESUMED)


def test_the_same_start_time_on_an_unmoved_clock_restarts_on_a_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    _kept(path, advanced=0)
    again = _manual(_full_disk(path), START)
    assert (again.now(), again.started) == (START, ClockStart.GIVEN)


@pytest.mark.parametrize(
    ("advanced", "start_time"),
    [(3600, START), (0, START + 60)],
    ids=["the kept clock moved", "another start time"],
)
def test_a_start_time_that_changes_the_kept_clock_must_write(
    tmp_path: Path, advanced: int, start_time: int
) -> None:
    path = tmp_path / "calls.sqlite3"
    _kept(path, advanced=advanced)
    with pytest.raises(StoreUnavailable, match="database or disk is full"):
        _manual(_full_disk(path), start_time)
    assert SqliteStore(path).kept_clock() == (START, float(advanced))  # nothing half-kept


def test_a_manual_clock_with_nothing_kept_must_write(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    SqliteStore(path).close()
    with pytest.raises(StoreUnavailable, match="database or disk is full"):
        _manual(_full_disk(path))
    assert SqliteStore(path).kept_clock() == (None, 0.0)


def test_a_restarted_manual_emulator_serves_reads_on_a_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    first = create_app(Settings(seed=7, clock="manual", start_time=START), store=SqliteStore(path))
    client = first.test_client()
    placed = client.post(
        "/api/v2/voice/batch", json={"phoneNumbers": ["09120000001"], "voiceId": VOICE_ID}, headers=AUTH
    )
    call_id = placed.get_json()["result"][0]["id"]
    assert client.post("/__admin/clock/advance", json={"seconds": 600}).status_code == 200
    first.extensions["bitel_mock"].close()

    restarted = create_app(Settings(seed=7, clock="manual"), store=_full_disk(path)).test_client()
    status = restarted.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)
    assert status.status_code == 200 and status.get_json()["result"]["id"] == call_id
    assert restarted.get("/__admin/clock").get_json()["now"] == START + 600


@settings(max_examples=60, deadline=None)
@given(
    base=st.none() | st.integers(0, 10),
    offset=st.integers(0, 3),
    proposed=st.integers(0, 10),
    replace=st.booleans(),
)
def test_clock_base_writes_exactly_when_the_kept_clock_changes(
    base: int | None, offset: int, proposed: int, replace: bool
) -> None:
    sets = base is None or replace
    expected = (float(proposed), 0.0) if sets else (float(base), float(offset))
    changes = (base, offset) != (proposed, 0) if sets else False
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.sqlite3"
        first = SqliteStore(path)
        if base is not None:
            first.clock_base(base)
        first.add_clock_offset(offset)
        first.close()
        refusing = _full_disk(path)
        if changes:
            with pytest.raises(StoreUnavailable):
                refusing.clock_base(proposed, replace=replace)
            assert refusing.kept_clock() == (base, float(offset))
        else:
            assert refusing.clock_base(proposed, replace=replace) == expected[0]
        refusing.close()
        writable = SqliteStore(path)
        assert writable.clock_base(proposed, replace=replace) == expected[0]
        assert writable.kept_clock() == expected
        writable.close()


@pytest.fixture
def read_only_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    process = RedisProcess(tmp_path)
    process.start()
    yield process
    process.stop()


def _refuse_writes(url: str) -> None:
    """Make the server a replica of a master that is not there: writes get READONLY, reads and
    the data stay."""
    admin = redis.Redis.from_url(url)
    try:
        admin.execute_command("REPLICAOF", "127.0.0.1", "1")
    finally:
        admin.close()


def test_a_manual_clock_resumes_on_a_redis_that_refuses_writes(
    read_only_redis: RedisProcess,
) -> None:
    store = RedisStore(read_only_redis.url)
    _manual(store, START).advance(3600)
    _refuse_writes(read_only_redis.url)
    with pytest.raises(StoreUnavailable, match="read only replica"):
        store.add_clock_offset(1)
    resumed = _manual(store)
    assert (resumed.now(), resumed.started) == (START + 3600, ClockStart.RESUMED)
    with pytest.raises(StoreUnavailable, match="read only replica"):
        _manual(store, START)  # the kept clock moved: an explicit start must zero it
    assert store.kept_clock() == (START, 3600.0)


def test_the_same_start_time_restarts_on_a_redis_that_refuses_writes(
    read_only_redis: RedisProcess,
) -> None:
    store = RedisStore(read_only_redis.url)
    _manual(store, START)
    _refuse_writes(read_only_redis.url)
    again = _manual(store, START)
    assert (again.now(), again.started) == (START, ClockStart.GIVEN)
