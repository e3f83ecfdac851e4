"""Every store keeps the control plane's generation: each change of the state workers keep (rules,
fault definitions, the run-time rate limit and webhook configuration, SMS templates, a reset)
moves it in the same write, and nothing else does; a request reads it with the clock's offset
in one read (`pulse`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, ScenarioRule
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.store import Store
from bitel_mock.store.generation import Pulse
from bitel_mock.toolkit.faults import parse_fault
from tests.store.batches import batch_of
from tests.store.conftest import STORE_KINDS
from tests.store.test_store_identity import Backing, _lose_state

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)

RULE = ScenarioRule(
    id="rule-1", attempts=(AttemptSpec(CallStatus.USER_BUSY),), number="09121234567"
)
OTHER_RULE = ScenarioRule(
    id="rule-2", attempts=(AttemptSpec(CallStatus.NO_ANSWER),), pattern="^0912"
)
TEMPLATE = SmsTemplate(id=900, text="کد شما {1} است")
Change = Callable[[Store], Any]


def _fault(store: Store, times: int | None = None) -> str:
    data: dict[str, Any] = {"kind": "status", "status": 503}
    if times is not None:
        data["times"] = times
    return store.add_fault(parse_fault(data))["id"]


CHANGES: dict[str, Change] = {
    "a rule added": lambda store: store.add_scenario(OTHER_RULE),
    "a rule deleted": lambda store: store.delete_scenario(RULE.id),
    "the rules cleared": lambda store: store.clear_scenarios(),
    "a fault added": _fault,
    "a fault removed": lambda store: store.remove_fault(_fault(store)),
    "the faults cleared": lambda store: store.clear_faults(),
    "a rate limit set": lambda store: store.set_rate_limit(
        {"rps": 5, "burst": 5, "maxWaiting": None}
    ),
    "the rate limit dropped": lambda store: store.set_rate_limit(None),
    "a webhook configuration set": lambda store: store.set_webhook_config(
        {"url": "http://127.0.0.1:9/"}
    ),
    "the webhook configuration dropped": lambda store: store.set_webhook_config(None),
    "a template registered": lambda store: store.put_sms_template(TEMPLATE.id, TEMPLATE),
    "a template deleted": lambda store: store.put_sms_template(TEMPLATE.id, None),
    "a reset": lambda store: store.reset(),
}

NOT_CHANGES: dict[str, Change] = {
    "calls kept": lambda store: store.add_batch(batch_of(3)),
    "numbers allocated": lambda store: store.allocate_sequence(2),
    "the clock moved": lambda store: store.add_clock_offset(60),
    "a request journaled": lambda store: store.append_journal({"method": "GET"}, 10),
    "a rate-limit token taken": lambda store: store.take_token("k", 1.0, 2, 0.0),
    "owned calls noted": lambda store: store.add_owned_calls("k", ["c1"]),
    "the control plane read": lambda store: (store.list_scenarios(), store.list_faults()),
}


def _setup(store: Store) -> None:
    """Something of everything, so that deleting and clearing have something to change."""
    store.add_scenario(RULE)
    _fault(store)
    store.put_sms_template(TEMPLATE.id, TEMPLATE)


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_each_change_of_the_control_plane_moves_the_generation(
    store: Store, change: Change
) -> None:
    _setup(store)
    before = store.generation()
    assert before is not None
    change(store)
    after = store.generation()
    assert after is not None and after != before


@pytest.mark.parametrize("change", NOT_CHANGES.values(), ids=NOT_CHANGES.keys())
def test_what_workers_do_not_keep_leaves_the_generation(store: Store, change: Change) -> None:
    _setup(store)
    before = store.generation()
    change(store)
    assert store.generation() == before


def test_using_a_fault_moves_the_generation_only_when_it_removes_it(store: Store) -> None:
    twice, unlimited = _fault(store, times=2), _fault(store)
    before = store.generation()
    assert store.hit_fault(twice) == 1 and store.consume_fault(twice)
    assert store.hit_fault(unlimited) == 1 and store.consume_fault(unlimited)
    assert store.generation() == before  # counted, not removed
    assert store.consume_fault(twice)  # its last use removes it
    assert store.generation() != before
    assert [fault["id"] for fault in store.list_faults()] == [unlimited]


def test_the_pulse_is_the_generation_and_the_clock_offset(store: Store) -> None:
    store.add_clock_offset(90.5)
    store.add_scenario(RULE)
    assert store.pulse() == Pulse(store.generation(), 90.5)
    assert isinstance(store.pulse().generation, int)


def test_another_handle_on_the_same_state_sees_each_move(make_store: Callable[[], Store]) -> None:
    first, second = make_store(), make_store()
    seen = {second.generation()}
    for change in (lambda: first.add_scenario(RULE), lambda: _fault(first), first.reset):
        change()
        assert second.generation() == first.generation()
        seen.add(second.generation())
    assert len(seen) == 4


def test_a_state_lost_and_made_anew_has_no_generation_seen_before(
    store: Store, behind: Backing
) -> None:
    """A worker must not take a state made anew (a Redis restarted empty, a file replaced) for
    the one it read: the generation is unknown (None, nothing is kept) or starts at random."""
    seen = {store.generation()}
    for change in (lambda: store.add_scenario(OTHER_RULE), store.clear_scenarios, store.reset):
        change()
        seen.add(store.generation())
    _lose_state(store, behind)
    assert store.generation() not in seen
    assert store.pulse().generation == store.generation()
