"""The clock kept in every store, and how the emulator's clock starts on it (a restart is a
second clock on the same store): an explicit start time always wins, a manual clock resumes the
manual time kept, a real clock keeps its offset, and a reset forgets what was kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bitel_mock.domain.clock import ClockMode, ClockStart, FixedClock, StoreClock
from bitel_mock.emulator import Emulator
from bitel_mock.settings import Settings
from bitel_mock.store import Store
from tests.store.conftest import STORE_KINDS

START = 1_700_000_000
WALL = 1_800_000_000
"""The machine's time in these tests: far from START, so a test can tell which one a clock uses."""

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)

Opener = Callable[[], Store]


def _manual(store: Store, start_time: int | None = None) -> StoreClock:
    return StoreClock(store, ClockMode.MANUAL, start_time=start_time, wall=FixedClock(WALL))


def _real(store: Store, wall: float = WALL) -> StoreClock:
    return StoreClock(store, ClockMode.REAL, wall=FixedClock(wall))


def test_a_store_keeps_no_clock_until_told(store: Store) -> None:
    assert store.kept_clock() == (None, 0.0)


def test_setting_the_base_starts_the_clock_afresh(store: Store) -> None:
    store.add_clock_offset(60)
    assert store.clock_base(100.0) == 100.0
    assert store.kept_clock() == (100.0, 0.0)
    store.add_clock_offset(60)
    assert store.clock_base(200.0) == 100.0  # kept: the offset stays
    assert store.kept_clock() == (100.0, 60.0)
    assert store.clock_base(300.0, replace=True) == 300.0
    assert store.kept_clock() == (300.0, 0.0)


def test_forgetting_the_clock_drops_the_base_and_the_offset(store: Store) -> None:
    store.clock_base(100.0)
    store.add_clock_offset(60)
    store.forget_clock()
    assert store.kept_clock() == (None, 0.0)


def test_a_reset_forgets_the_kept_clock(store: Store) -> None:
    store.clock_base(100.0)
    store.add_clock_offset(60)
    store.reset()
    assert store.kept_clock() == (None, 0.0)


def test_an_explicit_start_time_wins_over_the_kept_clock(make_store: Opener) -> None:
    first = _manual(make_store(), START)
    first.advance(3600)
    second = _manual(make_store(), START)
    assert (second.now(), second.started) == (START, ClockStart.GIVEN)
    assert first.now() == START  # one store, one time: the first process agrees


def test_a_manual_clock_without_start_time_resumes_the_kept_time(make_store: Opener) -> None:
    _manual(make_store(), START).advance(3600)
    resumed = _manual(make_store())
    assert (resumed.now(), resumed.started) == (START + 3600, ClockStart.RESUMED)


def test_a_manual_clock_with_nothing_kept_starts_now(make_store: Opener) -> None:
    fresh = _manual(make_store())
    assert (fresh.now(), fresh.started) == (WALL, ClockStart.FRESH)


def test_a_manual_clock_drops_a_real_clocks_offset(make_store: Opener) -> None:
    _real(make_store()).advance(27_200)
    manual = _manual(make_store())
    assert (manual.now(), manual.started) == (WALL, ClockStart.FRESH)


def test_a_real_clock_keeps_its_offset(make_store: Opener) -> None:
    _real(make_store()).advance(27_200)
    again = _real(make_store(), wall=WALL + 5)
    assert (again.now(), again.started) == (WALL + 5 + 27_200, ClockStart.RESUMED)
    assert again.offset() == 27_200


def test_a_real_clock_drops_a_kept_manual_time(make_store: Opener) -> None:
    _manual(make_store(), START).advance(3600)
    real = _real(make_store())
    assert (real.now(), real.started) == (WALL, ClockStart.FRESH)
    assert make_store().kept_clock() == (None, 0.0)


def test_after_a_reset_a_manual_clock_is_at_its_base_and_a_restart_agrees(make_store: Opener) -> None:
    emulator = Emulator(
        Settings(clock="manual", start_time=START), store=make_store(), clock=FixedClock(WALL)
    )
    emulator.clock.advance(3600)
    emulator.reset()
    assert emulator.clock.now() == START
    assert _manual(make_store()).now() == START


def test_after_a_reset_a_real_clock_is_at_the_machines_time_with_nothing_kept(make_store: Opener) -> None:
    emulator = Emulator(Settings(), store=make_store(), clock=FixedClock(WALL))
    emulator.clock.advance(27_200)
    emulator.reset()
    assert emulator.clock.now() == WALL
    assert make_store().kept_clock() == (None, 0.0)
    assert _real(make_store()).started is ClockStart.FRESH

