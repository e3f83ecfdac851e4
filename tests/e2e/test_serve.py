"""`bitel-mock serve` as a real process on a loopback port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bitel_mock import contracts
from tests.e2e.processes import AUTH, run, serving

SAMPLE = {"phoneNumbers": ["09121234567"], "voiceId": "08e815cbcd724386805103ac0d45e4c2", "retryCount": 3}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with serving("--seed", "1", "--store", f"sqlite:///{tmp_path}/calls.sqlite3") as server:
        yield server.url


def test_serves_the_vendor_sample(served: str) -> None:
    response = requests.post(f"{served}/api/v2/voice/batch", json=SAMPLE, headers=AUTH, timeout=10)
    assert response.status_code == 200
    contracts.validator("batch-call-response").validate(response.json())
    assert requests.get(f"{served}/__admin/health", timeout=10).json()["calls"] == 1


def test_port_taken_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = run("serve", "--port", str(port))
    assert finished.returncode == 1
    assert finished.stderr.strip() == f"bitel-mock: cannot listen on 127.0.0.1:{port}: the address is already in use"
    assert "Traceback" not in finished.stderr


def test_bad_setting_is_a_one_line_error() -> None:
    finished = run("serve", "--number-form", "e164")
    assert finished.returncode == 1
    assert finished.stderr.count("\n") == 1 and "e164" in finished.stderr


def test_memory_store_with_several_workers_is_a_one_line_error() -> None:
    finished = run("serve", "--store", "memory", "--workers", "2")
    assert finished.returncode == 1
    assert finished.stderr.count("\n") == 1 and "memory store" in finished.stderr


def test_unknown_store_is_a_one_line_error() -> None:
    finished = run("serve", "--store", "postgres://x")
    assert finished.returncode == 1
    assert finished.stderr.count("\n") == 1 and "postgres://x" in finished.stderr
