"""Time as a dependency: the domain asks a Clock, never `time.time()`.

The emulator's clock is `StoreClock`: real time or a manual time, plus an
offset, both kept in the store so that every worker (and a restart) reads
the same time. Tests move it through the admin API instead of sleeping.
"""

from __future__ import annotations

import enum
import threading
import time
from typing import Protocol

from bitel_mock.store.base import Store


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


class StoreClock:
    """The emulator's clock: a base (real or manual) plus an offset kept in the store."""

    def __init__(
        self,
        store: Store,
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
        if mode is ClockMode.MANUAL:
            # An explicit start time wins; otherwise the first process to start sets it for all.
            proposed = start_time if start_time is not None else int(self.wall.now())
            self._base = store.clock_base(proposed, replace=start_time is not None)

    def now(self) -> float:
        pinned = getattr(self._pinned, "now", None)
        if pinned is not None:
            return pinned
        base = self.wall.now() if self._base is None else self._base
        return base + self.store.clock_offset()

    def pin(self) -> None:
        """Until `unpin`, this thread reads one time: a request is dated once, and asks the
        store for the clock once."""
        self._pinned.now = None
        self._pinned.now = self.now()

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
