"""No id is issued twice, whatever happens to the store: a store whose state came back empty,
was replaced or went back in time refuses to number or find calls (`StoreReplaced`), in every
store; a store opened afresh on the new state issues ids never issued before."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.model import Call, CallKind
from bitel_mock.store import Store
from bitel_mock.store.errors import StoreReplaced, StoreUnavailable
from bitel_mock.store.memory import MemoryStore
from bitel_mock.store.sqlite import SqliteStore
from tests.factories import plan_for

SQLITE_FILE = "calls.sqlite3"


def _place(store: Store, count: int) -> list[Call]:
    """Numbers, makes and keeps `count` calls, as the emulator does."""
    first = store.allocate_sequence(count)
    ids = IdCodec(store.id_key())
    calls = [
        Call(
            id=ids.encode(first + offset),
            sequence=first + offset,
            phone_number="09121234567",
            local_number="09121234567",
            kind=CallKind.BATCH,
            request_date=1_700_000_000,
            retry_count=1,
            plan=plan_for(1_700_000_000),
        )
        for offset in range(count)
    ]
    store.add_calls(calls)
    return calls


class Backing:
    """What a test does to a store's state behind the store's back: empty it, or copy it and
    put the copy back later."""

    def __init__(self, kind: str, tmp_path: Path, redis_url: str | None, prefix: str) -> None:
        self.kind, self.tmp_path, self.prefix = kind, tmp_path, prefix
        self._redis = None
        if kind == "redis":
            import redis

            self._redis = redis.Redis.from_url(redis_url)

    def _keys(self) -> list[bytes]:
        return list(self._redis.scan_iter(match=f"{self.prefix}*"))

    def empty(self) -> None:
        """The state comes back empty (a Redis restarted without its data, a fresh file)."""
        if self.kind == "memory":
            raise AssertionError("use MemoryStore.wipe")
        if self.kind == "redis":
            if keys := self._keys():
                self._redis.delete(*keys)
            return
        fresh = self.tmp_path / "fresh" / SQLITE_FILE
        SqliteStore(fresh).close()
        self._copy(fresh, self.tmp_path / SQLITE_FILE)

    def copy(self) -> object:
        if self.kind == "redis":
            return {key: self._redis.dump(key) for key in self._keys()}
        saved = self.tmp_path / "copy" / SQLITE_FILE
        saved.parent.mkdir(exist_ok=True)
        self._copy(self.tmp_path / SQLITE_FILE, saved)
        return saved

    def restore(self, copy: object) -> None:
        """The state goes back to `copy` (a restore from an older backup)."""
        if self.kind == "redis":
            assert isinstance(copy, dict)
            self.empty()
            for key, dumped in copy.items():
                self._redis.restore(key, 0, dumped)
            return
        assert isinstance(copy, Path)
        self._copy(copy, self.tmp_path / SQLITE_FILE)

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        """Page by page through SQLite's backup API, as a restore into the live file would."""
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()


@pytest.fixture
def backing(request: pytest.FixtureRequest, tmp_path: Path, redis_prefix: str) -> Iterator[Backing]:
    kind = request.node.callspec.params["make_store"]
    url = request.getfixturevalue("redis_url") if kind == "redis" else None
    state = Backing(kind, tmp_path, url, redis_prefix)
    yield state
    state.close()


def _lose_state(store: Store, backing: Backing) -> None:
    if isinstance(store, MemoryStore):
        store.wipe()
    else:
        backing.empty()


@pytest.mark.parametrize("make_store", ["memory", "sqlite", "redis"], indirect=True)
def test_a_store_whose_state_came_back_empty_neither_numbers_nor_finds_calls(
    store: Store, backing: Backing
) -> None:
    kept = _place(store, 3)
    _lose_state(store, backing)
    for _ in range(2):  # and it keeps refusing
        with pytest.raises(StoreReplaced, match="no id is issued twice") as refused:
            store.allocate_sequence(1)
        with pytest.raises(StoreReplaced):
            store.get_call(kept[0].sequence)
    assert isinstance(refused.value, StoreUnavailable) and refused.value.lasting


@pytest.mark.parametrize("make_store", ["sqlite", "redis"], indirect=True)
def test_a_store_whose_state_went_back_in_time_numbers_no_call_twice(
    store: Store, backing: Backing
) -> None:
    _place(store, 2)
    older = backing.copy()
    issued = _place(store, 5)
    backing.restore(older)
    with pytest.raises(StoreReplaced, match="went backwards"):
        store.allocate_sequence(1)
    with pytest.raises(StoreReplaced):  # found calls would be older than some given out
        store.get_call(issued[0].sequence)


@pytest.mark.parametrize("make_store", ["sqlite", "redis"], indirect=True)
def test_a_store_opened_afresh_on_the_emptied_state_issues_only_new_ids(
    make_store: Callable[[], Store], backing: Backing
) -> None:
    old = make_store()
    old_calls = _place(old, 50)
    backing.empty()
    new = make_store()
    new_calls = _place(new, 50)
    assert new.id_key() != old.id_key()
    assert {call.sequence for call in new_calls} == {call.sequence for call in old_calls}
    assert not {call.id for call in new_calls} & {call.id for call in old_calls}
    new_ids = IdCodec(new.id_key())
    assert all(new_ids.decode(call.id) is None for call in old_calls)  # old ids: NotFound
    assert [new.get_call(call.sequence) for call in new_calls] == new_calls
    with pytest.raises(StoreReplaced):
        old.allocate_sequence(1)
