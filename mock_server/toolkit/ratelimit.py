"""Rate limits per bearer token: a token bucket on real time, and a cap on WAITING calls.

Off by default. A rate limit limits a rate of real requests, so its buckets
refill on the machine's wall clock whatever the emulator's clock says: a
`Retry-After: 1` is honest on a manual clock too. Wall time rather than a
monotonic clock, because the buckets live in the store and several workers
(on several hosts, with Redis) share them. The calls each token placed live
in the store as well; the number of WAITING calls is recomputed from the
calls' records every time, since a call's status moves with the emulator's clock.

A limit fails open: while the store cannot read or write its state (a full
disk, a Redis down), a request goes on as if within the limit, so reads that
still work are not refused for want of a bucket; the store logs the incident.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bitel_mock.domain.clock import Clock, SystemClock
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.store.generation import Generations
from bitel_mock.tokens import token_fingerprint
from bitel_mock.toolkit.definitions import (
    DefinitionError,
    optional_int,
    optional_number,
    reject_unknown,
    require_object,
)
from bitel_mock.toolkit.storage import BucketStore

MAX_RATE = 1_000_000.0


@dataclass(frozen=True)
class RateLimit:
    """`rate` requests per second per token, up to `burst` at once."""

    rate: float
    burst: int

    def __post_init__(self) -> None:
        if not 0 < self.rate <= MAX_RATE or not math.isfinite(self.rate):
            raise ValueError(f"the rate must be above 0 and at most {MAX_RATE:g} per second")
        if self.burst < 1:
            raise ValueError("the burst must be at least 1")

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """`RPS` or `RPS/BURST`, e.g. `5` or `5/10` (the burst defaults to max(1, ceil(RPS)))."""
        rate_text, _, burst_text = text.strip().partition("/")
        try:
            rate = float(rate_text)
            burst = int(burst_text) if burst_text else max(1, math.ceil(rate))
        except ValueError:
            raise ValueError(f"rate limit {text!r} is not RPS or RPS/BURST") from None
        return cls(rate, burst)


@dataclass(frozen=True)
class LimitConfig:
    """What is enforced now: a rate limit, a WAITING cap, either or neither."""

    rate_limit: RateLimit | None = None
    max_waiting: int | None = None

    def is_off(self) -> bool:
        """Neither a rate limit nor a WAITING cap applies."""
        return self.rate_limit is None and self.max_waiting is None

    def to_json(self) -> dict[str, Any]:
        return {
            "rps": self.rate_limit.rate if self.rate_limit else None,
            "burst": self.rate_limit.burst if self.rate_limit else None,
            "maxWaiting": self.max_waiting,
        }

    @classmethod
    def from_json(cls, data: Any) -> LimitConfig:
        """Strictly read `{"rps", "burst"?, "maxWaiting"?}` (null or absent is off)."""
        data = require_object(data)
        reject_unknown(data, ("rps", "burst", "maxWaiting"))
        rate = optional_number(data, "rps", 0.001, MAX_RATE)
        burst = optional_int(data, "burst", 1, 1_000_000)
        if rate is None and burst is not None:
            raise DefinitionError("burst", "needs rps")
        limit = RateLimit(rate, burst if burst is not None else max(1, math.ceil(rate))) if rate else None
        return cls(limit, optional_int(data, "maxWaiting", 1, 1_000_000))


@dataclass(frozen=True)
class Refusal:
    """A request refused with 429, and when to try again."""

    retry_after: int
    reason: str


class RateLimiter:
    """Decides whether a token may make a request now (and place `calls` calls).

    The configuration is read once per generation of the control plane
    (`generations`; by default the store's generation is read on every use).
    """

    def __init__(
        self,
        *,
        store: BucketStore,
        defaults: LimitConfig,
        is_waiting: Callable[[str], bool],
        wall: Clock | None = None,
        generations: Generations | None = None,
    ) -> None:
        self.store = store
        self.wall = wall or SystemClock()
        """Real time, which refills the buckets (never the emulator's clock)."""
        self.defaults = defaults
        self.is_waiting = is_waiting
        self._config = (generations or Generations(store.generation)).kept(self._read_config)

    def _read_config(self) -> LimitConfig:
        stored: Mapping[str, Any] | None = self.store.rate_limit()
        return LimitConfig.from_json(stored) if stored is not None else self.defaults

    def config(self) -> LimitConfig:
        return self._config()

    def set_config(self, config: LimitConfig | None) -> None:
        self.store.set_rate_limit(None if config is None else config.to_json())

    def waiting_calls(self, token: str) -> int:
        """How many calls of this token are WAITING now (final ones are forgotten)."""
        key = token_fingerprint(token)
        owned = self.store.owned_calls(key)
        final = [call_id for call_id in owned if not self.is_waiting(call_id)]
        if final:
            self.store.drop_owned_calls(key, final)
        return len(owned) - len(final)

    def check(self, token: str, placing: int) -> Refusal | None:
        """None when allowed (a token is taken from the bucket), else why not; None as well
        while the store is unavailable (the limit fails open)."""
        try:
            return self._check(token, placing)
        except StoreUnavailable:  # already logged by the store, once per incident
            return None

    def _check(self, token: str, placing: int) -> Refusal | None:
        config = self.config()
        if config.rate_limit is not None:
            limit = config.rate_limit
            wait = self.store.take_token(
                token_fingerprint(token), limit.rate, limit.burst, self.wall.now()
            )
            if wait > 0:
                return Refusal(max(1, math.ceil(wait)), "rate")
        if (
            config.max_waiting is not None
            and placing
            and self.waiting_calls(token) + placing > config.max_waiting
        ):
            return Refusal(1, "waiting")
        return None

    def placed(self, token: str, call_ids: list[str]) -> None:
        """Remember the calls a token placed, while a WAITING cap is set (only then are they
        counted: remembering every call of every request would cost a write per request)."""
        if call_ids and self.config().max_waiting is not None:
            self.store.add_owned_calls(token_fingerprint(token), call_ids)
