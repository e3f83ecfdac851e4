"""Fixtures for the store suite: one store of each kind, and a Redis server to back one.

Redis: BITEL_MOCK_TEST_REDIS_URL names a server to use; without it a
`redis-server` binary, if installed, is started on a free loopback port for
the session. In CI (CI=true) a missing Redis fails the tests rather than
skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mock_server.store import MemoryStore, Store
from mock_server.store.sqlite import SqliteStore

STORE_KINDS = ("memory", "sqlite", "redis")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_redis(url: str, process: subprocess.Popen[bytes]) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer on {url}") from None
            time.sleep(0.02)  # polling readiness, bounded by the deadline above
        finally:
            client.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("BITEL_MOCK_TEST_REDIS_URL")
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        message = "no Redis: set BITEL_MOCK_TEST_REDIS_URL or install redis-server"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_redis(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


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
            from mock_server.store.redis import RedisStore

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
