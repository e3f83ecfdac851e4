"""What every store must do for the control plane's state (journal, faults, limits,
clock, scenario rules), atomically: the same tests over memory, SQLite and Redis."""

from __future__ import annotations

import threading

import pytest

from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, ScenarioRule
from bitel_mock.store import Store
from tests.store.conftest import STORE_KINDS

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)


def test_the_clock_base_is_set_once_unless_replaced(store: Store) -> None:
    assert store.clock_base(100.0) == 100.0
    assert store.clock_base(200.0) == 100.0
    assert store.clock_base(300.0, replace=True) == 300.0


def test_clock_offsets_add_up_and_reset_to_zero(store: Store) -> None:
    assert store.clock_offset() == 0.0
    store.add_clock_offset(60)
    store.add_clock_offset(0.5)
    assert store.clock_offset() == 60.5
    store.reset()
    assert store.clock_offset() == 0.0


def test_scenario_rules_round_trip_in_order(store: Store) -> None:
    first = ScenarioRule(id="a", attempts=(AttemptSpec(CallStatus.USER_BUSY), AttemptSpec(CallStatus.NORMAL, talk_seconds=30)), number="09121111111", created_at=5)
    second = ScenarioRule(id="b", attempts=(AttemptSpec(CallStatus.EXPIRED),), pattern="^0935")
    store.add_scenario(first)
    store.add_scenario(second)
    assert store.list_scenarios() == [first, second]
    assert store.delete_scenario("a") and not store.delete_scenario("a")
    assert store.list_scenarios() == [second]
    assert store.clear_scenarios() == 1
    assert store.list_scenarios() == []


def test_reset_forgets_the_control_plane_state(store: Store) -> None:
    store.append_journal({"path": "/"}, limit=5)
    store.add_fault({"kind": "drop", "remaining": None})
    store.add_scenario(ScenarioRule(id="a", attempts=(AttemptSpec(CallStatus.ERROR),), pattern="^09"))
    store.set_rate_limit({"rps": 1})
    store.add_owned_calls("k", ["x"])
    store.reset()
    assert (store.journal_entries(), store.list_faults(), store.list_scenarios()) == ([], [], [])
    assert store.rate_limit() is None and store.owned_calls("k") == []


def test_journal_is_bounded_newest_first_and_numbered(store: Store) -> None:
    numbers = [store.append_journal({"path": f"/{n}"}, limit=3) for n in range(5)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5
    assert [e["path"] for e in store.journal_entries()] == ["/4", "/3", "/2"]
    assert [e["seq"] for e in store.journal_entries()] == numbers[:1:-1]
    store.clear_journal()
    assert store.journal_entries() == []
    assert store.append_journal({"path": "/5"}, limit=3) > numbers[-1]


def test_fault_uses_are_consumed_exactly_once_under_concurrency(store: Store) -> None:
    fault = store.add_fault({"kind": "drop", "remaining": 50})
    granted: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            ok = store.consume_fault(fault["id"])
            with lock:
                granted.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 50
    assert store.list_faults() == []


def test_unlimited_faults_hits_and_removal(store: Store) -> None:
    first = store.add_fault({"kind": "drop", "remaining": None})
    second = store.add_fault({"kind": "drop", "remaining": 1})
    assert first["id"] != second["id"]
    assert all(store.consume_fault(first["id"]) for _ in range(5))
    assert [store.hit_fault(first["id"]) for _ in range(3)] == [1, 2, 3]
    assert store.hit_fault("nope") is None and not store.consume_fault("nope")
    assert [f["id"] for f in store.list_faults()] == [first["id"], second["id"]]
    assert store.remove_fault(second["id"]) and not store.remove_fault(second["id"])
    store.clear_faults()
    assert store.list_faults() == []


def test_token_bucket(store: Store) -> None:
    assert [store.take_token("k", 2.0, 2, 100.0) for _ in range(2)] == [0.0, 0.0]
    assert store.take_token("k", 2.0, 2, 100.0) == pytest.approx(0.5)
    assert store.take_token("k", 2.0, 2, 100.5) == 0.0
    assert store.take_token("other", 2.0, 2, 100.5) == 0.0
    assert store.take_token("k", 2.0, 2, 1000.0) == 0.0  # refilled, but only up to the burst
    assert store.take_token("k", 2.0, 2, 1000.0) == 0.0
    assert store.take_token("k", 2.0, 2, 1000.0) > 0


def test_rate_limit_config_and_owned_calls(store: Store) -> None:
    assert store.rate_limit() is None
    store.set_rate_limit({"rps": 1.0, "burst": 1, "maxWaiting": None})
    assert store.rate_limit() == {"rps": 1.0, "burst": 1, "maxWaiting": None}
    store.add_owned_calls("k", ["a", "b", "c"])
    store.drop_owned_calls("k", ["b"])
    assert store.owned_calls("k") == ["a", "c"] and store.owned_calls("other") == []


def test_reset_forgets_the_toolkit_state(store: Store) -> None:
    store.append_journal({"path": "/"}, limit=10)
    store.add_fault({"kind": "drop", "remaining": None})
    store.set_rate_limit({"rps": 1.0, "burst": 1, "maxWaiting": None})
    store.add_owned_calls("k", ["a"])
    store.reset()
    assert store.journal_entries() == [] and store.list_faults() == []
    assert store.rate_limit() is None and store.owned_calls("k") == []
