"""What every store must do for voice webhooks: claims that hand each event out once, and a
delivery journal; the same tests over memory, SQLite and Redis."""

from __future__ import annotations

import threading

import pytest

from bitel_mock.store import Store
from bitel_mock.webhooks.model import Delivery, DeliveryKind, DeliveryOutcome, PendingEvent
from tests.store.conftest import STORE_KINDS

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
WORKERS = 4


def event(call_id: str, due_at: float, sequence: int = 0) -> PendingEvent:
    return PendingEvent(call_id, sequence, due_at, 1, None)


def delivery(call_id: str, attempt: int = 1) -> Delivery:
    return Delivery(
        id=0, call_id=call_id, campaign_id="c" * 32, attempt=attempt, kind=DeliveryKind.DELIVERY, at=100,
        url="http://127.0.0.1:9/hook", status=500, error="HTTP 500", latency_ms=1.5,
        outcome=DeliveryOutcome.RETRYING, next_attempt_at=130, token_fingerprint=None,
        body={"requestId": call_id, "billSec": 20},
    )


def test_a_claim_takes_due_events_in_due_order_and_holds_them(store: Store) -> None:
    store.add_webhook_events([event("c", 30, 2), event("a", 10, 0), event("b", 10, 1), event("d", 99, 3)])
    assert [e.call_id for e in store.claim_due_events(50, 2, "one", 60)] == ["a", "b"]
    assert [e.call_id for e in store.claim_due_events(50, 10, "two", 60)] == ["c"]
    assert store.claim_due_events(50, 10, "three", 60) == []
    assert store.count_pending_events() == 4


def test_only_the_holder_finishes_or_reschedules_and_a_lapsed_lease_frees_the_event(store: Store) -> None:
    store.add_webhook_events([event("a", 10)])
    [held] = store.claim_due_events(10, 1, "one", 60)
    assert not store.finish_event("a", "two")
    assert store.claim_due_events(69, 1, "two", 60) == []
    [again] = store.claim_due_events(70, 1, "two", 60)
    assert again == held
    assert not store.reschedule_event(held, "one")
    assert store.reschedule_event(held._replace(due_at=100, attempt=2), "two")
    assert store.claim_due_events(99, 1, "three", 60) == []
    [retry] = store.claim_due_events(100, 1, "three", 60)
    assert retry.attempt == 2
    assert store.finish_event("a", "three")
    assert store.count_pending_events() == 0


def test_racing_claimers_never_share_an_event(store: Store) -> None:
    store.add_webhook_events([event(f"{n:04d}", n % 7, n) for n in range(300)])
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
    assert len(every) == len(set(every)) == 300


def test_deliveries_are_numbered_listed_newest_first_and_found(store: Store) -> None:
    kept = [store.add_delivery(delivery(call_id)) for call_id in ["a", "b", "a"]]
    assert [d.id for d in kept] == sorted({d.id for d in kept})
    assert store.get_delivery(kept[1].id) == kept[1]
    assert store.get_delivery(10**9) is None
    total, page = store.list_deliveries()
    assert total == 3 and page == kept[::-1]
    total, page = store.list_deliveries(call_id="a", limit=1, offset=1)
    assert total == 2 and page == [kept[0]]


def test_webhook_config_and_reset(store: Store) -> None:
    assert store.webhook_config() is None
    store.set_webhook_config({"url": "http://127.0.0.1:9/hook"})
    assert store.webhook_config() == {"url": "http://127.0.0.1:9/hook"}
    store.add_webhook_events([event("a", 10)])
    store.add_delivery(delivery("a"))
    store.reset()
    assert store.webhook_config() is None
    assert store.count_pending_events() == 0 and store.list_deliveries() == (0, [])

