"""`bitel-mock serve --webhook-url ...` as a real process, posting to a loopback receiver."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator

import pytest
import requests

from tests.e2e.test_serve import LISTENING, SAMPLE, _command, _env
from tests.webhooks.receiver import Receiver

AUTH = {"Authorization": "Bearer t"}


def serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _command("serve", "--port", "0", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def served_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    match = LISTENING.search(line)
    assert match, line
    return match.group(1)


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=10)


def test_a_real_clock_server_delivers_in_the_background(receiver: Receiver) -> None:
    # Every call ends one second after it is accepted.
    timing = ["--queue-seconds", "0", "--ring-seconds", "0", "--talk-seconds", "1"]
    process = serve("--webhook-url", receiver.url, *timing)
    try:
        url = served_url(process)
        response = requests.post(f"{url}/api/v2/voice/batch", json=SAMPLE, headers=AUTH, timeout=10)
        [record] = response.json()["result"]
        [received] = receiver.wait_for(1)
    finally:
        stop(process)
    body = received.json()
    assert (body["requestId"], body["cause"], body["billSec"]) == (record["id"], "NORMAL", 1)


def test_a_manual_clock_server_delivers_when_the_clock_moves(receiver: Receiver) -> None:
    process = serve("--clock", "manual", "--webhook-url", receiver.url, "--webhook-retries", "0")
    try:
        url = served_url(process)
        requests.post(f"{url}/api/v2/voice/batch", json=SAMPLE, headers=AUTH, timeout=10)
        assert receiver.requests == []
        moved = requests.post(f"{url}/__admin/clock/advance", json={"seconds": 3600}, timeout=30)
        assert moved.json()["webhookAttempts"] == 1
        assert len(receiver.requests) == 1
        journal = requests.get(f"{url}/__admin/webhooks/deliveries", timeout=10).json()
    finally:
        stop(process)
    assert journal["deliveries"][0]["outcome"] == "delivered"
