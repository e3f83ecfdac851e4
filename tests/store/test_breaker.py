"""After a failure that made its caller wait, a store fails at once for a second, then lets
one call try; failures that cost no time never hold. Time is a fake monotonic clock."""

from __future__ import annotations

import pytest

from bitel_mock.store.breaker import HOLD_SECONDS, SLOW_SECONDS, Breaker
from bitel_mock.store.errors import StoreUnavailable


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_hold_is_one_second_after_a_failure_of_half_a_second() -> None:
    assert (HOLD_SECONDS, SLOW_SECONDS) == (1.0, 0.5)


def test_a_slow_failure_holds_for_the_hold_then_one_call_tries() -> None:
    clock = Clock()
    breaker = Breaker(monotonic=clock)
    clock.now = 10.5
    breaker.failed(StoreUnavailable("Redis: Timeout reading from socket."), started=10.0)
    assert breaker.holding
    clock.now = 11.4
    with pytest.raises(
        StoreUnavailable, match=r"^Redis: Timeout reading from socket \(not tried again for 1 s\)$"
    ):
        breaker.check()
    clock.now = 11.5
    breaker.check()
    assert not breaker.holding


def test_a_quick_failure_never_holds() -> None:
    clock = Clock()
    breaker = Breaker(monotonic=clock)
    clock.now = 10.49
    breaker.failed(StoreUnavailable("SQLite: database or disk is full"), started=10.0)
    assert not breaker.holding
    breaker.check()
