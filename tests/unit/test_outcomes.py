"""Outcome scripts: magic numbers, scenario rules, distributions, precedence."""

from __future__ import annotations

import random

import pytest

from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import (
    AttemptSpec,
    Distribution,
    ScenarioRule,
    choose_script,
    magic_script,
)

S = CallStatus
RNG = random.Random(0)


@pytest.mark.parametrize(
    "number, expected",
    [
        ("09990000001", [S.NORMAL]),
        ("09990000002", [S.NO_ANSWER]),
        ("09990000003", [S.USER_BUSY]),
        ("09990000010", [S.EXPIRED]),
        ("09990000011", [S.ERROR]),
        ("09990000020", [S.UNKNOWN]),
        ("09990000201", [S.USER_BUSY, S.USER_BUSY, S.NORMAL]),
        ("09990000102", [S.USER_BUSY, S.NO_ANSWER]),
    ],
)
def test_magic_numbers(number: str, expected: list[CallStatus]) -> None:
    script = magic_script(number)
    assert script is not None
    assert [spec.status for spec in script] == expected


@pytest.mark.parametrize("number", ["09990000000", "09990000004", "09990000099", "09991000001", "09120000001"])
def test_not_magic(number: str) -> None:
    assert magic_script(number) is None


def test_rules_win_over_magic_numbers_which_win_over_the_distribution() -> None:
    weights = Distribution({S.USER_BUSY: 1.0})
    rule = ScenarioRule(id="r", attempts=(AttemptSpec(S.ERROR),), number="09990000001")
    assert choose_script("09990000001", [rule], weights, RNG, 2) == (AttemptSpec(S.ERROR),)
    assert choose_script("09990000001", [], weights, RNG, 2) == (AttemptSpec(S.NORMAL),)
    assert choose_script("09120000001", [], weights, RNG, 2) == (AttemptSpec(S.USER_BUSY),) * 2
    assert choose_script("09120000001", [], None, RNG, 2) == (AttemptSpec(S.NORMAL),)


def test_the_newest_matching_rule_wins() -> None:
    old = ScenarioRule(id="a", attempts=(AttemptSpec(S.ERROR),), pattern="^0912")
    new = ScenarioRule(id="b", attempts=(AttemptSpec(S.UNKNOWN),), pattern="^09121")
    assert choose_script("09121111111", [old, new], None, RNG, 1) == (AttemptSpec(S.UNKNOWN),)
    assert choose_script("09122222222", [old, new], None, RNG, 1) == (AttemptSpec(S.ERROR),)


@pytest.mark.parametrize("text", ["", "NORMAL", "NORMAL=x", "BOGUS=1", "NORMAL=-1", "NORMAL=0", "WAITING=1"])
def test_bad_distributions_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Distribution.parse(text)


def test_a_rule_needs_a_number_or_a_pattern_and_a_valid_pattern() -> None:
    with pytest.raises(ValueError):
        ScenarioRule(id="x", attempts=(AttemptSpec(S.NORMAL),))
    with pytest.raises(ValueError):
        ScenarioRule(id="x", attempts=(AttemptSpec(S.NORMAL),), number="0912", pattern="^0")
    with pytest.raises(ValueError):
        ScenarioRule(id="x", attempts=(AttemptSpec(S.NORMAL),), pattern="(")
    with pytest.raises(ValueError):
        AttemptSpec(S.WAITING)
    with pytest.raises(ValueError):
        AttemptSpec(S.NORMAL, talk_seconds=0)
