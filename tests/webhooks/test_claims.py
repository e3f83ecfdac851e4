"""Claiming through the store: each event goes out once, however many emulators share the store."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.store import MemoryStore
from mock_server.webhooks import dispatcher
from mock_server.webhooks.model import PendingEvent
from tests.webhooks.conftest import START, advance, place
from tests.webhooks.receiver import Receiver

WORKERS = 4


def event(call_id: str, due_at: float, sequence: int = 0) -> PendingEvent:
    return PendingEvent(call_id, sequence, due_at, 1, None)


def test_a_claim_takes_due_events_in_due_order_and_holds_them() -> None:
    store = MemoryStore()
    store.add_webhook_events(
        [event("c", 30, 2), event("a", 10, 0), event("b", 10, 1), event("d", 99, 3)]
    )
    assert [e.call_id for e in store.claim_due_events(50, 2, "one", 60)] == ["a", "b"]
    assert [e.call_id for e in store.claim_due_events(50, 10, "two", 60)] == ["c"]
    assert store.claim_due_events(50, 10, "three", 60) == []
    assert store.count_pending_events() == 4


def test_only_the_holder_finishes_or_reschedules_and_a_lapsed_lease_frees_the_event() -> None:
    store = MemoryStore()
    store.add_webhook_events([event("a", 10)])
    [held] = store.claim_due_events(10, 1, "one", 60)
    assert not store.finish_event("a", "two")
    assert store.claim_due_events(69, 1, "two", 60) == []
    [again] = store.claim_due_events(70, 1, "two", 60)  # "one" died: its lease ran out
    assert again == held
    assert not store.reschedule_event(held, "one")
    assert store.reschedule_event(held._replace(due_at=100, attempt=2), "two")
    assert store.claim_due_events(99, 1, "three", 60) == []
    [retry] = store.claim_due_events(100, 1, "three", 60)
    assert retry.attempt == 2
    assert store.finish_event("a", "three")
    assert store.count_pending_events() == 0


def test_racing_claimers_never_share_an_event() -> None:
    store = MemoryStore()
    store.add_webhook_events([event(f"{n:04d}", n % 7, n) for n in range(2000)])
    claimed: list[list[str]] = [[] for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)

    def claim(index: int) -> None:
        start.wait()
        while batch := store.claim_due_events(10, 3, f"worker-{index}", 60):
            claimed[index].extend(e.call_id for e in batch)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [call_id for part in claimed for call_id in part]
    assert len(every) == len(set(every)) == 2000


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
