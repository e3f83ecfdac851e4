"""Figures for webhooks (not a test): what they cost the hot path, and how fast a clock move delivers.

    .venv/bin/python -m tests.benchmarks.bench_webhooks

1. POST /api/v2/voice/batch with 100 numbers, in process, with and without a
   webhook URL (the outbox adds one store write per request).
2. A clock move that delivers N due events to a loopback receiver.
"""

from __future__ import annotations

import time

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import AUTH, VOICE_ID
from tests.webhooks.receiver import Receiver

START = 1_700_000_000
REQUESTS = 300
NUMBERS = [f"0912{n:07d}" for n in range(100)]
EVENTS = 1000
ROUNDS = 5
"""Runs of each variant, interleaved; the best counts (the machine may be busy)."""


def batches_per_second(settings: Settings) -> float:
    client = create_app(settings).test_client()
    body = {"phoneNumbers": NUMBERS, "voiceId": VOICE_ID}
    client.post("/api/v2/voice/batch", json=body, headers=AUTH)  # warm up
    started = time.perf_counter()
    for _ in range(REQUESTS):
        response = client.post("/api/v2/voice/batch", json=body, headers=AUTH)
        assert response.status_code == 200
    return REQUESTS / (time.perf_counter() - started)


def delivery_run(url: str) -> tuple[float, int]:
    client = create_app(Settings(clock="manual", start_time=START, webhook_url=url)).test_client()
    for _ in range(EVENTS // len(NUMBERS)):
        client.post(
            "/api/v2/voice/batch", json={"phoneNumbers": NUMBERS, "voiceId": VOICE_ID}, headers=AUTH
        )
    started = time.perf_counter()
    attempts = client.post("/__admin/clock/advance", json={"seconds": 3600}).get_json()[
        "webhookAttempts"
    ]
    return time.perf_counter() - started, attempts


def main() -> None:
    with Receiver() as receiver:
        without = Settings(clock="manual", start_time=START)
        with_url = Settings(clock="manual", start_time=START, webhook_url=receiver.url)
        offs, ons = [], []
        for _ in range(ROUNDS):
            offs.append(batches_per_second(without))
            ons.append(batches_per_second(with_url))
        off, on = max(offs), max(ons)
        print(
            f"batch of 100, in process, {REQUESTS} requests, best of {ROUNDS}: no webhook {off:,.0f} req/s, "
            f"webhook URL set {on:,.0f} req/s ({(on / off - 1) * 100:+.1f}%)"
        )
        seconds, attempts = min(delivery_run(receiver.url) for _ in range(ROUNDS))
        receiver_count = len(receiver.requests)
        print(
            f"clock move delivering {attempts} events to a loopback receiver, best of {ROUNDS}: "
            f"{seconds:.2f} s ({attempts / seconds:,.0f} events/s)"
        )
        assert receiver_count == ROUNDS * EVENTS and attempts == EVENTS


if __name__ == "__main__":
    main()
