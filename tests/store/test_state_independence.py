"""Every kind of state is its own: clearing one kind leaves every other intact, in every store.

Each kind is filled, then each way of clearing state is applied to a fresh
store; the kinds it is documented to clear are empty afterwards and every
other kind reads exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.model import Call, CallKind, CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, ScenarioRule
from bitel_mock.store import Store
from bitel_mock.webhooks.model import Delivery, DeliveryKind, DeliveryOutcome, PendingEvent
from tests.factories import plan_for
from tests.store.conftest import STORE_KINDS

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)

TOKEN_KEY = "0123456789abcdef"
RATE, BURST, AT = 0.001, 1, 1_700_000_000.0


def _fill_calls(store: Store) -> None:
    first = store.allocate_sequence(2)
    ids = IdCodec(store.id_key())
    store.add_calls(
        [
            Call(
                id=ids.encode(first + offset),
                sequence=first + offset,
                phone_number="09121234567",
                local_number="09121234567",
                kind=CallKind.BATCH,
                request_date=1_700_000_000,
                retry_count=1,
                plan=plan_for(1_700_000_000),
            )
            for offset in range(2)
        ]
    )


def _fill_clock(store: Store) -> None:
    store.clock_base(1_000.0)
    store.add_clock_offset(30)


def _fill_events(store: Store) -> None:
    store.add_webhook_events(
        [PendingEvent("e1", 0, 10.0, 1, None), PendingEvent("e2", 1, 20.0, 1, None)]
    )


def _fill_deliveries(store: Store) -> None:
    store.add_delivery(
        Delivery(
            id=0,
            call_id="e0",
            campaign_id="c" * 32,
            attempt=1,
            kind=DeliveryKind.DELIVERY,
            at=5,
            url="http://127.0.0.1:9/hook",
            status=200,
            error=None,
            latency_ms=1.0,
            outcome=DeliveryOutcome.DELIVERED,
            next_attempt_at=None,
            token_fingerprint=None,
            body={"requestId": "e0"},
        )
    )


def _fill_buckets(store: Store) -> None:
    assert (
        store.take_token(TOKEN_KEY, RATE, BURST, AT) == 0.0
    )  # the only token: the bucket is empty


def _bucket_is_kept(store: Store) -> bool:
    """True while the emptied bucket is kept (taking again must wait); reading it takes nothing."""
    return store.take_token(TOKEN_KEY, RATE, BURST, AT) > 0


def _clear_events(store: Store) -> None:
    for event in store.claim_due_events(100.0, 10, "clearer", 60.0):
        assert store.finish_event(event.call_id, "clearer")


@dataclass(frozen=True)
class Kind:
    fill: Callable[[Store], Any]
    read: Callable[[Store], Any]


KINDS: dict[str, Kind] = {
    "calls": Kind(_fill_calls, lambda s: (s.count_calls(), s.list_calls())),
    "clock": Kind(_fill_clock, lambda s: (s.clock_base(0.0), s.clock_offset())),
    "scenarios": Kind(
        lambda s: s.add_scenario(
            ScenarioRule(id="r1", attempts=(AttemptSpec(CallStatus.ERROR),), pattern="^09")
        ),
        lambda s: s.list_scenarios(),
    ),
    "webhook config": Kind(
        lambda s: s.set_webhook_config({"url": "http://127.0.0.1:9/hook"}),
        lambda s: s.webhook_config(),
    ),
    "webhook events": Kind(_fill_events, lambda s: s.count_pending_events()),
    "webhook deliveries": Kind(_fill_deliveries, lambda s: s.list_deliveries()),
    "journal": Kind(lambda s: s.append_journal({"path": "/x"}, 10), lambda s: s.journal_entries()),
    "faults": Kind(
        lambda s: s.add_fault({"kind": "drop", "remaining": 3}), lambda s: s.list_faults()
    ),
    "rate limit": Kind(lambda s: s.set_rate_limit({"rps": 2}), lambda s: s.rate_limit()),
    "buckets": Kind(_fill_buckets, _bucket_is_kept),
    "owned calls": Kind(
        lambda s: s.add_owned_calls(TOKEN_KEY, ["a", "b"]), lambda s: s.owned_calls(TOKEN_KEY)
    ),
}

NO_BUCKET = False
CLEARS: dict[str, tuple[Callable[[Store], Any], dict[str, Any]]] = {
    # how: the kinds it changes, as they read afterwards (a new rate limit, or none, starts
    # every bucket afresh)
    "clear_scenarios": (lambda s: s.clear_scenarios(), {"scenarios": []}),
    "set_webhook_config(None)": (lambda s: s.set_webhook_config(None), {"webhook config": None}),
    "finish every event": (_clear_events, {"webhook events": 0}),
    "clear_journal": (lambda s: s.clear_journal(), {"journal": []}),
    "clear_faults": (lambda s: s.clear_faults(), {"faults": []}),
    "set_rate_limit(None)": (
        lambda s: s.set_rate_limit(None),
        {"rate limit": None, "buckets": NO_BUCKET},
    ),
    "set_rate_limit(another)": (
        lambda s: s.set_rate_limit({"rps": 9}),
        {"rate limit": {"rps": 9}, "buckets": NO_BUCKET},
    ),
    "drop_owned_calls": (lambda s: s.drop_owned_calls(TOKEN_KEY, ["a", "b"]), {"owned calls": []}),
}


@pytest.mark.parametrize("clear", CLEARS)
def test_clearing_one_kind_of_state_leaves_every_other_intact(store: Store, clear: str) -> None:
    for kind in KINDS.values():
        kind.fill(store)
    before = {name: kind.read(store) for name, kind in KINDS.items()}
    how, changed = CLEARS[clear]
    assert all(before[name] != value for name, value in changed.items())  # it has work to do

    how(store)

    after = {name: kind.read(store) for name, kind in KINDS.items()}
    assert after == {**before, **changed}
