"""On Linux each worker of `bitel-mock serve` listens on a socket of its own (SO_REUSEPORT), so
the kernel spreads connections over the workers; the start-up lines come once a worker answers,
and the address stays held while the workers run."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import pytest
import requests

from bitel_mock.serving import ANNOUNCE_PATIENCE_SECONDS, listens_per_worker
from tests.e2e.processes import AUTH, listening_sockets, serving

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT balancing is Linux's")

BODY = {"phoneNumber": "09121234567", "voiceId": "08e815cbcd724386805103ac0d45e4c2"}
READY_SECONDS = 10
FRESH_CONNECTIONS = 24


def test_linux_listens_per_worker_and_the_start_up_lines_wait_30_s_at_most() -> None:
    assert listens_per_worker() is True
    assert ANNOUNCE_PATIENCE_SECONDS == 30


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_each_worker_listens_on_its_own_socket(tmp_path: Path, workers: int) -> None:
    store = ("--store", f"sqlite:///{tmp_path}/calls.sqlite3", "--workers", str(workers))
    with serving(*store) as served:
        port = int(served.url.rsplit(":", 1)[1])
        # The lines come when the first worker answers; the others follow within moments.
        deadline = time.monotonic() + READY_SECONDS
        while listening_sockets(port) < workers and time.monotonic() < deadline:
            time.sleep(0.01)  # polling the kernel's table, bounded by the deadline
        assert listening_sockets(port) == workers


def test_the_first_request_after_the_start_up_lines_is_answered(tmp_path: Path) -> None:
    # `serving` reads the lines and then asks at once: no retry stands between them here.
    store = ("--store", f"sqlite:///{tmp_path}/calls.sqlite3")
    with serving(*store, wait=False) as served:
        answer = requests.post(f"{served.url}/api/v2/voice/single", json=BODY, headers=AUTH, timeout=10)
        assert answer.status_code == 200


def test_the_address_stays_taken_while_serving(tmp_path: Path) -> None:
    store = ("--store", f"sqlite:///{tmp_path}/calls.sqlite3")
    with serving(*store) as served:
        port = int(served.url.rsplit(":", 1)[1])
        with socket.socket() as other, pytest.raises(OSError):
            other.bind(("127.0.0.1", port))


def test_every_worker_answers_through_flask_right_after_start(tmp_path: Path) -> None:
    """Fresh connections land on every worker (the kernel hashes them); each must answer, also
    through Flask's own routing, which loads a codec lazily: a lock the master held while a
    worker was forked would leave that worker stuck."""
    store = ("--store", f"sqlite:///{tmp_path}/calls.sqlite3", "--workers", "2")
    with serving(*store, wait=False) as served:
        for _ in range(FRESH_CONNECTIONS):
            with requests.Session() as fresh:
                assert fresh.get(f"{served.url}/__admin/calls", timeout=5).status_code == 200
