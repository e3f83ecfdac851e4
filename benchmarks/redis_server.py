"""A throwaway `redis-server` for the Redis-backed emulator: a free loopback port, a temporary
working directory, no persistence (no RDB snapshots, no append-only file).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from benchmarks.processes import StartFailed, free_port, stop

READY_WITHIN_SECONDS = 10
_POLL_SECONDS = 0.01


def binary() -> str | None:
    return shutil.which("redis-server")


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start(server: str, directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start redis-server; return it and its URL once it answers PING (bounded)."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if _answers_ping(port):
            return process, f"redis://127.0.0.1:{port}/0"
        time.sleep(_POLL_SECONDS)  # polling readiness, bounded by the deadline
    stop(process)
    raise StartFailed(f"redis-server did not answer PING on 127.0.0.1:{port}")
