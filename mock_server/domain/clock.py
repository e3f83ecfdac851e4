"""Time as a dependency: the domain asks a Clock, never `time.time()`."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Tells the emulator's current time in Unix seconds."""

    def now(self) -> float: ...


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
