"""`bitel-mock serve --webhook-url ...` as a real process, posting to a loopback receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.e2e.processes import AUTH, serving
from tests.e2e.test_serve import SAMPLE
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def test_a_real_clock_server_delivers_in_the_background(receiver: Receiver) -> None:
    # Every call ends one second after it is accepted.
    timing = ["--queue-seconds", "0", "--ring-seconds", "0", "--talk-seconds", "1"]
    with serving("--store", "memory", "--webhook-url", receiver.url, *timing) as served:
        response = requests.post(f"{served.url}/api/v2/voice/batch", json=SAMPLE, headers=AUTH, timeout=10)
        [record] = response.json()["result"]
        [received] = receiver.wait_for(1)
    body = received.json()
    assert (body["requestId"], body["cause"], body["billSec"]) == (record["id"], "NORMAL", 1)


def test_a_manual_clock_server_delivers_when_the_clock_moves(receiver: Receiver) -> None:
    args = ("--store", "memory", "--clock", "manual", "--webhook-url", receiver.url, "--webhook-retries", "0")
    with serving(*args) as served:
        requests.post(f"{served.url}/api/v2/voice/batch", json=SAMPLE, headers=AUTH, timeout=10)
        assert receiver.requests == []
        moved = requests.post(f"{served.url}/__admin/clock/advance", json={"seconds": 3600}, timeout=30)
        assert moved.json()["webhookAttempts"] == 1
        assert len(receiver.requests) == 1
        journal = requests.get(f"{served.url}/__admin/webhooks/deliveries", timeout=10).json()
    assert journal["deliveries"][0]["outcome"] == "delivered"
