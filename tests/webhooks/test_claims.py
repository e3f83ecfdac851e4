"""Claiming through the store: each event goes out once, however many emulators share the store.

The store's claim rules themselves are tested over every store in tests/store/test_webhook_state.py."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.store import MemoryStore
from bitel_mock.webhooks import dispatcher
from tests.webhooks.conftest import START, advance, place
from tests.webhooks.receiver import Receiver


def test_two_emulators_sharing_one_store_deliver_each_event_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dispatcher, "CLAIM_BATCH", 1)  # claim one by one: the most contention
    store = MemoryStore()
    with Receiver() as receiver:
        settings = Settings(seed=9, clock="manual", start_time=START, webhook_url=receiver.url)
        apps = [create_app(settings, store=store) for _ in range(2)]
        clients = [app.test_client() for app in apps]
        placed = [
            r["id"]
            for client in clients
            for r in place(client, [f"0912{n:07d}" for n in range(50)])
        ]
        store.add_clock_offset(3600)  # every call is final; nothing is delivered yet
        assert receiver.requests == []
        start = threading.Barrier(2)
        attempts = [0, 0]

        def deliver(index: int) -> None:
            start.wait()
            attempts[index] = advance(clients[index], 0)["webhookAttempts"]

        threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts = Counter(body["requestId"] for body in receiver.bodies())
    assert set(counts) == set(placed) and len(placed) == 100
    assert set(counts.values()) == {1}
    assert sum(attempts) == 100
