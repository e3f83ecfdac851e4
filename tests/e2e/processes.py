"""Starting `bitel-mock serve` as real processes on loopback ports, for end-to-end tests.

Every process runs in a throwaway working directory, so a server started
without `--store` keeps its default SQLite file there, never in the
repository (tests/leak_guard.py checks that nothing appears there).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

LISTEN_STATE = "0A"
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))")
AUTH = {"Authorization": "Bearer t"}
READY_WITHIN_SECONDS = 20


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bitel_mock", *args]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("BITEL_MOCK_")}


def run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """`bitel-mock ARGS` to completion in a throwaway working directory (for refusals)."""
    with tempfile.TemporaryDirectory(prefix="bitel-mock-e2e-") as workdir:
        return subprocess.run(
            command(*args), capture_output=True, text=True, timeout=timeout, env=clean_env(), cwd=workdir
        )


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    clock_line: str
    """The second line `serve` prints: the clock's mode and time, and where it came from."""

    def kill_all(self) -> None:
        """SIGKILL the master and every worker at once (they share a process group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def wait_until_healthy(url: str, process: subprocess.Popen[str]) -> None:
    """Poll /__admin/health until it answers 200 (bounded)."""
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while True:
        try:
            if requests.get(f"{url}/__admin/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the emulator at {url} never became healthy")
        time.sleep(0.02)  # polling readiness, bounded by the deadline above


@contextmanager
def serving(*args: str, wait: bool = True) -> Iterator[Served]:
    """`bitel-mock serve --port 0 ARGS` in a throwaway working directory, healthy (without
    `wait`, as soon as it printed its start-up lines); stopped with SIGINT (or already killed)
    on leaving."""
    workdir = tempfile.TemporaryDirectory(prefix="bitel-mock-e2e-")
    process = subprocess.Popen(
        command("serve", "--port", "0", *args),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env(),
        start_new_session=True, cwd=workdir.name,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the server prints where it listens
        match = LISTENING.search(line)
        assert match, line + (process.stderr.read() if process.poll() is not None and process.stderr else "")
        served = Served(process, match.group(1), process.stdout.readline().strip())
        if wait:
            wait_until_healthy(served.url, process)
        yield served
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        workdir.cleanup()


def listening_sockets(port: int) -> int:
    """How many sockets listen on this TCP port (IPv4), from the kernel's own table (Linux)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        if int(local.split(":")[1], 16) == port and state == LISTEN_STATE:
            count += 1
    return count
