"""Serving the emulator as `make run` does, for the scripts under benchmarks/.

`served()` starts `bitel-mock serve` (SQLite in a temporary directory, 2
sync workers by default) on a free loopback port, waits until it is healthy
(bounded), and stops it on leaving. Its stderr goes to a file, so a script
can count the tracebacks it logged; worker memory is read from /proc.
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

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")
READY_WITHIN_SECONDS = 30
STOP_WITHIN_SECONDS = 40


@dataclass
class Server:
    """A running `bitel-mock serve` and where its log goes."""

    process: subprocess.Popen[str]
    url: str
    log: Path

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def worker_memory_mib(self, field: str = "VmHWM") -> list[float]:
        """Each worker's resident memory from /proc (VmHWM: its peak so far; VmRSS: now)."""
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            found = re.search(rf"{field}:\s+(\d+) kB", status)
            if found:
                sizes.append(int(found.group(1)) / 1024)
        return sizes

    def tracebacks(self) -> int:
        return self.log.read_text(errors="replace").count("Traceback (most recent call last)")


def _wait_healthy(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{url}/__admin/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.02)  # polling readiness, bounded by the deadline
    raise RuntimeError(f"the emulator at {url} never became healthy")


@contextmanager
def served(*args: str, workers: int = 2) -> Iterator[Server]:
    """`bitel-mock serve --port 0 --store sqlite:///<temp> --workers N ARGS`, healthy."""
    with tempfile.TemporaryDirectory(prefix="bitel-mock-") as directory:
        store = f"sqlite:///{directory}/bitel-mock.sqlite3"
        log = Path(directory) / "server.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("BITEL_MOCK_")}
        with log.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "bitel_mock", "serve", "--port", "0", "--store", store,
                 "--workers", str(workers), *args],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env,
                start_new_session=True,
            )
        try:
            assert process.stdout is not None
            found = LISTENING.search(process.stdout.readline())
            if not found:
                raise RuntimeError("the emulator did not say where it listens:\n" + log.read_text())
            server = Server(process, found.group(1), log)
            _wait_healthy(server.url, process)
            yield server
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_WITHIN_SECONDS)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
