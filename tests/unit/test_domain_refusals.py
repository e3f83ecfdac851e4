"""The domain refuses bad values with a message that starts by naming what is wrong (the CLI and
the control plane print these messages as they are), and accepts the edge of every range."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bitel_mock.domain.clock import ClockBackwards, ClockMode, StoreClock
from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, Distribution, ScenarioRule
from bitel_mock.domain.phone import parse_forms
from bitel_mock.store.memory import MemoryStore

S = CallStatus
NORMAL = (AttemptSpec(S.NORMAL),)

REFUSALS: dict[str, tuple[Callable[[], Any], str]] = {
    "a waiting attempt": (lambda: AttemptSpec(S.WAITING), "WAITING is not an attempt outcome"),
    "no talk": (lambda: AttemptSpec(S.NORMAL, talk_seconds=0), "talkSeconds must be at least 1"),
    "negative ringing": (
        lambda: AttemptSpec(S.NORMAL, ring_seconds=-1),
        "ringSeconds must not be negative",
    ),
    "neither number nor pattern": (
        lambda: ScenarioRule(id="r", attempts=NORMAL),
        "a rule has exactly one of number and pattern",
    ),
    "both number and pattern": (
        lambda: ScenarioRule(id="r", attempts=NORMAL, number="09121111111", pattern="^0"),
        "a rule has exactly one of number and pattern",
    ),
    "no attempts": (
        lambda: ScenarioRule(id="r", attempts=(), number="09121111111"),
        "a rule needs at least one attempt",
    ),
    "no outcomes": (lambda: Distribution.parse(" , "), "no outcomes given"),
    "not STATUS=WEIGHT": (
        lambda: Distribution.parse("NORMAL=x"),
        "'NORMAL=x' is not STATUS=WEIGHT",
    ),
    "an unknown status": (
        lambda: Distribution.parse("BOGUS=1"),
        "unknown outcome 'BOGUS' (known: ",
    ),
    "a weight without a number": (
        lambda: Distribution.parse("NORMAL"),
        "'NORMAL' is not STATUS=WEIGHT",
    ),
    "a negative weight": (
        lambda: Distribution.parse("NORMAL=1,USER_BUSY=-1"),
        "weight of USER_BUSY must not be negative",
    ),
    "all weights zero": (
        lambda: Distribution.parse("NORMAL=0,USER_BUSY=0"),
        "the weights must not all be zero",
    ),
    "WAITING drawn": (lambda: Distribution({S.WAITING: 1.0}), "WAITING cannot be drawn"),
    "an unknown number form": (
        lambda: parse_forms(["plus98", "e164"]),
        "unknown number form 'e164' (known: local, plus98, 98, 0098, persian-digits, landline)",
    ),
}


@pytest.mark.parametrize("make, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_says_what_is_wrong(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError) as refused:
        make()
    assert str(refused.value).startswith(message)


def test_the_edges_of_each_range_are_accepted() -> None:
    assert AttemptSpec(S.NORMAL, talk_seconds=1, ring_seconds=0).talk_seconds == 1
    weights = Distribution.parse("NORMAL=1,NO_ANSWER=0").weights
    assert weights == {S.NORMAL: 1.0, S.NO_ANSWER: 0.0}


def test_the_clock_refuses_to_move_back_saying_so_and_stays() -> None:
    clock = StoreClock(MemoryStore(), ClockMode.MANUAL, start_time=1_700_000_000)
    with pytest.raises(ClockBackwards) as refused:
        clock.advance(-1)
    assert refused.value.message.startswith("the clock only moves forward")
    with pytest.raises(ClockBackwards) as refused:
        clock.set(1_699_999_999)
    assert refused.value.message.startswith("the clock never goes backwards")
    assert clock.now() == 1_700_000_000
