"""The start rule of the emulator's clock, for any clock kept in the store: a given start time
is where a manual clock starts, and without one a kept manual time is resumed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.clock import ClockMode, FixedClock, StoreClock
from bitel_mock.store import MemoryStore

WALL = 1_800_000_000

kept_bases = st.none() | st.integers(0, 2**32)
offsets = st.integers(0, 10**6)


def _store(kept_base: int | None, kept_offset: int) -> MemoryStore:
    store = MemoryStore()
    if kept_base is not None:
        store.clock_base(kept_base)
    store.add_clock_offset(kept_offset)
    return store


@given(kept_base=kept_bases, kept_offset=offsets, start_time=st.integers(0, 2**32))
def test_a_given_start_time_is_where_a_manual_clock_starts(
    kept_base: int | None, kept_offset: int, start_time: int
) -> None:
    store = _store(kept_base, kept_offset)
    clock = StoreClock(store, ClockMode.MANUAL, start_time=start_time, wall=FixedClock(WALL))
    assert clock.now() == start_time


@given(kept_base=kept_bases, kept_offset=offsets)
def test_without_one_a_manual_clock_resumes_the_kept_time_else_starts_now(
    kept_base: int | None, kept_offset: int
) -> None:
    store = _store(kept_base, kept_offset)
    clock = StoreClock(store, ClockMode.MANUAL, wall=FixedClock(WALL))
    assert clock.now() == (WALL if kept_base is None else kept_base + kept_offset)


@given(kept_base=kept_bases, kept_offset=offsets)
def test_a_real_clock_keeps_a_real_offset_and_drops_a_manual_time(
    kept_base: int | None, kept_offset: int
) -> None:
    store = _store(kept_base, kept_offset)
    clock = StoreClock(store, ClockMode.REAL, wall=FixedClock(WALL))
    assert clock.now() == (WALL + kept_offset if kept_base is None else WALL)
