"""`bitel-mock serve` as a real process on a loopback port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bitel_mock import contracts

SAMPLE = {"phoneNumbers": ["09121234567"], "voiceId": "08e815cbcd724386805103ac0d45e4c2", "retryCount": 3}
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))")


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bitel_mock", *args]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("BITEL_MOCK_")}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    process = subprocess.Popen(
        _command("serve", "--port", "0", "--seed", "1", "--store", f"sqlite:///{tmp_path}/calls.sqlite3"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the server prints where it listens
        match = LISTENING.search(line)
        assert match, line
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def test_serves_the_vendor_sample(served: str) -> None:
    response = requests.post(f"{served}/api/v2/voice/batch", json=SAMPLE, headers={"Authorization": "Bearer t"}, timeout=10)
    assert response.status_code == 200
    contracts.validator("batch-call-response").validate(response.json())
    assert requests.get(f"{served}/__admin/health", timeout=10).json()["calls"] == 1


def test_port_taken_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = subprocess.run(_command("serve", "--port", str(port)), capture_output=True, text=True, timeout=30, env=_env())
    assert finished.returncode == 1
    assert finished.stderr.strip() == f"bitel-mock: cannot listen on 127.0.0.1:{port}: the address is already in use"
    assert "Traceback" not in finished.stderr


def test_bad_setting_is_a_one_line_error() -> None:
    finished = subprocess.run(_command("serve", "--number-form", "e164"), capture_output=True, text=True, timeout=30, env=_env())
    assert finished.returncode == 1
    assert finished.stderr.count("\n") == 1 and "e164" in finished.stderr


def test_memory_store_with_several_workers_is_a_one_line_error() -> None:
    finished = subprocess.run(_command("serve", "--store", "memory", "--workers", "2"), capture_output=True, text=True, timeout=30, env=_env())
    assert finished.returncode == 1
    assert finished.stderr.count("\n") == 1 and "memory store" in finished.stderr


def test_unknown_store_is_a_one_line_error() -> None:
    finished = subprocess.run(_command("serve", "--store", "postgres://x"), capture_output=True, text=True, timeout=30, env=_env())
    assert finished.returncode == 1
    assert finished.stderr.count("\n") == 1 and "postgres://x" in finished.stderr
