"""Failing at once while a store is known to make callers wait.

A frozen Redis or a lock held by another process costs each call its whole
timeout (2 s, 5 s); with two workers, a queue of requests would wait that
long one after the other, and one request touches the store several times
(the clock, the call, the journal). After a failure that waited, the store
fails at once for `HOLD_SECONDS` (the `Retry-After` of its 503), then lets
one call try again. Failures that cost no time (Redis refused the
connection, the disk is full) never hold: reads that work go on working.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bitel_mock.store.errors import StoreUnavailable

HOLD_SECONDS = 1.0
"""How long a store fails at once after a failure that made its caller wait."""
SLOW_SECONDS = 0.5
"""A failure that took at least this long made its caller wait."""


class Breaker:
    """Holds a store's calls after a slow failure (thread-safe enough: a lost race only lets
    one more call try)."""

    def __init__(
        self,
        *,
        hold_seconds: float = HOLD_SECONDS,
        slow_seconds: float = SLOW_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._hold = hold_seconds
        self._slow = slow_seconds
        self.monotonic = monotonic
        self.holding = False
        """True while calls fail at once; read before every call, so a plain attribute."""
        self._until = 0.0
        self._reason = ""

    def check(self) -> None:
        """Raise at once while holding; after the hold, let the call try."""
        if self.monotonic() < self._until:
            raise StoreUnavailable(f"{self._reason} (not tried again for {self._hold:g} s)")
        self.holding = False

    def failed(self, error: StoreUnavailable, started: float) -> None:
        """A call that started at `started` failed: hold if it waited."""
        now = self.monotonic()
        if now - started >= self._slow:
            self._until, self._reason, self.holding = (
                now + self._hold,
                error.reason.rstrip("."),
                True,
            )
