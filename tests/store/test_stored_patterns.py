"""Patterns kept by an earlier version that RE2 refuses: every store still loads them, and
they match nothing instead of failing requests."""

from __future__ import annotations

import random

import pytest

from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, ScenarioRule, choose_script
from bitel_mock.store import Store
from bitel_mock.toolkit.faults import FaultBook, RequestFacts, parse_fault
from tests.store.conftest import STORE_KINDS

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)

LOOKAHEAD = "(?=0912)"


def test_a_kept_lookahead_rule_loads_and_matches_nothing(store: Store) -> None:
    store.add_scenario(ScenarioRule(id="old", attempts=(AttemptSpec(CallStatus.ERROR),), pattern=LOOKAHEAD))
    store.add_scenario(ScenarioRule(id="new", attempts=(AttemptSpec(CallStatus.UNKNOWN),), number="09351111111"))
    rules = store.list_scenarios()
    assert [rule.pattern for rule in rules] == [LOOKAHEAD, None]
    assert not rules[0].matches("09121111111")
    assert choose_script("09121111111", rules, None, random.Random(0), 1) == (AttemptSpec(CallStatus.NORMAL),)
    assert store.delete_scenario("new") and store.delete_scenario("old")
    assert store.list_scenarios() == []


def test_a_kept_lookbehind_fault_path_never_fires(store: Store) -> None:
    kept = parse_fault({"kind": "status", "status": 503})
    kept["pathPattern"] = "/api/(?<=/)v2/.*"  # as an earlier version stored it
    store.add_fault(kept)
    book = FaultBook(store, seed=1)
    assert book.fire(RequestFacts("POST", "/api/v2/voice/batch", [], None)) is None
    assert [fault["pathPattern"] for fault in book.list()] == [kept["pathPattern"]]
