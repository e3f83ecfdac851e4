"""The emulator's clock only moves forward: a move into its past is a domain error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.clock import ClockBackwards, ClockMode, StoreClock
from bitel_mock.store import MemoryStore

START = 1_700_000_000


def manual_clock() -> StoreClock:
    return StoreClock(MemoryStore(), ClockMode.MANUAL, start_time=START)


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_setting_the_clock_into_its_past_is_refused_and_changes_nothing(ahead: int, back: int) -> None:
    clock = manual_clock()
    clock.advance(ahead)
    now = START + ahead
    with pytest.raises(ClockBackwards) as refused:
        clock.set(now - back)
    assert refused.value.message == (
        f"the clock never goes backwards: it is {now}, asked for {now - back}"
    )
    assert str(refused.value) == refused.value.message
    assert clock.now() == now


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_setting_the_clock_to_now_or_later_moves_it_there(ahead: int, forward: int) -> None:
    clock = manual_clock()
    clock.advance(ahead)
    assert clock.set(START + ahead + forward) == START + ahead + forward


@given(st.integers(max_value=-1))
def test_a_negative_advance_is_refused_and_changes_nothing(seconds: int) -> None:
    clock = manual_clock()
    with pytest.raises(ClockBackwards, match="only moves forward"):
        clock.advance(seconds)
    assert clock.now() == START


def test_the_clock_error_is_not_a_control_plane_error() -> None:
    """The domain's error knows nothing of HTTP: the admin route gives it a code and status."""
    assert not hasattr(ClockBackwards("x"), "status")
    assert ClockBackwards.__module__ == "bitel_mock.domain.clock"
