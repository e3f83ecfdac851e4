"""Fixtures for the store suite: one store of each kind (Redis from `tests/redis_server.py`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bitel_mock.store import MemoryStore, Store
from bitel_mock.store.sqlite import SqliteStore

if TYPE_CHECKING:
    from tests.store.test_store_identity import Backing

STORE_KINDS = ("memory", "sqlite", "redis")


@pytest.fixture
def redis_prefix() -> str:
    return f"test-{uuid.uuid4().hex}:"


@pytest.fixture
def make_store(
    request: pytest.FixtureRequest, tmp_path: Path, redis_prefix: str
) -> Iterator[Callable[[], Store]]:
    """Opens the parametrised kind of store; calling it again opens the same state anew."""
    kind = request.param
    opened: list[Store] = []
    memory = MemoryStore()

    def make() -> Store:
        store: Store
        if kind == "memory":
            store = memory
        elif kind == "sqlite":
            store = SqliteStore(tmp_path / "calls.sqlite3")
        else:
            from bitel_mock.store.redis import RedisStore

            store = RedisStore(request.getfixturevalue("redis_url"), prefix=redis_prefix)
        opened.append(store)
        return store

    yield make
    for store in opened:
        if kind == "redis":
            store.reset()
        close = getattr(store, "close", None)
        if close is not None:
            close()


@pytest.fixture
def store(make_store: Callable[[], Store]) -> Store:
    return make_store()


@pytest.fixture
def behind(request: pytest.FixtureRequest, tmp_path: Path, redis_prefix: str) -> Iterator[Backing]:
    """The parametrised store's state, to change behind its back (as `backing` in the identity
    tests)."""
    from tests.store.test_store_identity import Backing

    kind = request.node.callspec.params["make_store"]
    url = request.getfixturevalue("redis_url") if kind == "redis" else None
    state = Backing(kind, tmp_path, url, redis_prefix)
    yield state
    state.close()
