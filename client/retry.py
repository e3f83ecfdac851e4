"""When to try a request again, and how long to wait first; and the clock the client waits on.

The policy is a plain value with no I/O: the client asks it `next_delay(...)`
after each failure. Jitter is a function the tests can seed or stub, and the
waiting itself is done by a `Clock` the tests can replace.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Protocol

__all__ = ["Clock", "Failure", "RetryPolicy", "SystemClock", "parse_retry_after"]


class Clock(Protocol):
    """Where the client reads the time and waits; tests pass a fake one."""

    def time(self) -> float:
        """Wall-clock Unix seconds (to read an HTTP-date `Retry-After`)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (to measure timeouts)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait this long."""
        ...


class SystemClock:
    """The real clock."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Failure(enum.Enum):
    """Why an attempt failed, as far as a retry decision cares."""

    NOT_CONNECTED = "no connection was established: the request never left"
    CONNECTION = "the connection failed, possibly after the request was sent"
    TIMEOUT = "no answer in time, possibly after the request was sent"
    RATE_LIMITED = "429 Too Many Requests"
    SERVER_ERROR = "5xx server error"


def _default_jitter() -> float:
    return random.random()


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter, honouring `Retry-After`.

    A request that may place calls (`idempotent=False`) is retried only after
    `Failure.NOT_CONNECTED`: any other failure may have placed them already.
    """

    max_retries: int = 2
    """Attempts after the first one."""
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    """A `Retry-After` longer than this is not waited for: the error is raised."""
    jitter: Callable[[], float] = field(default=_default_jitter, repr=False)
    """Returns a number in [0, 1); each delay is scaled by 0.5 + 0.5 * jitter()."""

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if not 0 <= self.initial_delay <= self.max_delay:
            raise ValueError("delays must satisfy 0 <= initial_delay <= max_delay")

    def backoff(self, retry_number: int) -> float:
        """The wait before retry number `retry_number` (1 for the first), without hints."""
        base = min(self.initial_delay * 2 ** (retry_number - 1), self.max_delay)
        return base * (0.5 + 0.5 * self.jitter())

    def next_delay(
        self,
        retries_done: int,
        failure: Failure,
        *,
        idempotent: bool,
        retry_after: float | None = None,
    ) -> float | None:
        """Seconds to wait before trying again, or None to give up and raise."""
        if retries_done >= self.max_retries:
            return None
        if not idempotent and failure is not Failure.NOT_CONNECTED:
            return None
        if retry_after is not None and retry_after > self.max_retry_after:
            return None
        delay = self.backoff(retries_done + 1)
        return delay if retry_after is None else max(delay, retry_after)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` value (delta-seconds or HTTP-date); None if absent
    or unreadable. A date in the past gives 0."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - now
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)
