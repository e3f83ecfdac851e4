"""Time as a dependency: the domain asks a Clock, never `time.time()`.

The emulator's clock is `StoreClock`: real time or a manual time, plus an
offset, both kept in the store so that every worker (and a restart) reads
the same time. Tests move it through the admin API instead of sleeping.

How a clock starts on a store that may keep one (`ClockStart` says which):
an explicit start time always wins (the offset is dropped); a manual clock
without one resumes the manual time kept in the store, else starts at the
machine's time; a real clock keeps the offset kept in the store, and drops a
kept manual time. A reset forgets the kept clock; the running clock then
keeps its start again (a manual clock goes back to its base).
"""

from __future__ import annotations

import enum
import threading
import time
from typing import Protocol

from bitel_mock.domain.storage import ClockStore


class ClockBackwards(Exception):
    """The clock was asked to move into its past; it only ever moves forward."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Clock(Protocol):
    """Tells the emulator's current time in Unix seconds."""

    def now(self) -> float: ...


class ClockMode(enum.Enum):
    REAL = "real"
    """The machine's time, plus any offset the admin API added."""
    MANUAL = "manual"
    """A start time, plus what the admin API added: moves only when told."""


class SystemClock:
    """The machine's wall clock."""

    def now(self) -> float:
        return time.time()


class FixedClock:
    """A clock that says what it is told; for tests of the domain."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now

    def set(self, now: float) -> None:
        self._now = now


class ClockStart(enum.Enum):
    """Where a clock's time came from when it started."""

    GIVEN = "given"
    """A manual clock at the start time it was given."""
    RESUMED = "resumed"
    """The manual time, or the real clock's offset, kept in the store."""
    FRESH = "fresh"
    """Nothing kept: a manual clock at the machine's time, or a real clock without offset."""


class StoreClock:
    """The emulator's clock: a base (real or manual) plus an offset kept in the store."""

    def __init__(
        self,
        store: ClockStore,
        mode: ClockMode,
        *,
        start_time: int | None = None,
        wall: Clock | None = None,
    ) -> None:
        self.store = store
        self.mode = mode
        self.wall = wall or SystemClock()
        self._pinned = threading.local()
        self._base: float | None = None
        self.started = self._start(start_time)

    def _start(self, start_time: int | None) -> ClockStart:
        kept_base, kept_offset = self.store.kept_clock()
        if self.mode is ClockMode.REAL:
            if kept_base is not None:  # a manual clock's time means nothing to a real clock
                self.store.forget_clock()
                return ClockStart.FRESH
            return ClockStart.RESUMED if kept_offset else ClockStart.FRESH
        if start_time is not None:
            self._base = self.store.clock_base(start_time, replace=True)
            return ClockStart.GIVEN
        # The first process to start sets the base for every other (and for restarts).
        self._base = self.store.clock_base(int(self.wall.now()))
        return ClockStart.RESUMED if kept_base is not None else ClockStart.FRESH

    def offset(self) -> float:
        """Seconds the clock moves added to its base (to the machine's time, on a real clock)."""
        return self.store.clock_offset()

    def restart(self) -> None:
        """After the store forgot the kept clock (a reset): keep this clock's start again, so
        every worker, and a restart, agrees with it."""
        if self._base is not None:
            self.store.clock_base(self._base, replace=True)

    def now(self) -> float:
        pinned = getattr(self._pinned, "now", None)
        if pinned is not None:
            return pinned
        return self._at(self.store.clock_offset())

    def _at(self, offset: float) -> float:
        return (self.wall.now() if self._base is None else self._base) + offset

    def pin(self, offset: float | None = None) -> None:
        """Until `unpin`, this thread reads one time: a request is dated once, and asks the
        store for the clock once (not at all when given the `offset` it read already)."""
        self._pinned.now = None
        self._pinned.now = self.now() if offset is None else self._at(offset)

    def unpin(self) -> None:
        self._pinned.now = None

    def advance(self, seconds: int) -> float:
        """Move the clock forward by `seconds` (not negative)."""
        if seconds < 0:
            raise ClockBackwards("the clock only moves forward: seconds must be >= 0")
        self.store.add_clock_offset(seconds)
        return self.now()

    def set(self, now: int) -> float:
        """Move the clock to `now`, which must not be in its past."""
        current = self.now()
        if now < int(current):
            raise ClockBackwards(
                f"the clock never goes backwards: it is {int(current)}, asked for {now}"
            )
        self.store.add_clock_offset(now - current)
        return self.now()
