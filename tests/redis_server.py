"""A Redis server for tests: BITEL_MOCK_TEST_REDIS_URL, or a `redis-server` started for the session.

Without BITEL_MOCK_TEST_REDIS_URL a `redis-server` binary, if installed, is
started on a free loopback port. In CI (CI=true) a missing Redis fails the
tests that need one rather than skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.ports import free_port


def wait_for_redis(url: str, process: subprocess.Popen[bytes]) -> None:
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
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for_redis(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
