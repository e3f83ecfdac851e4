"""The toolkit of one emulator: its journal, faults and rate limiter, wired to its store."""

from __future__ import annotations

import secrets

from bitel_mock.domain.model import CallStatus
from bitel_mock.emulator import Emulator
from bitel_mock.errors import NotFound
from bitel_mock.toolkit.faults import FaultBook
from bitel_mock.toolkit.journal import Journal
from bitel_mock.toolkit.ratelimit import LimitConfig, RateLimiter


class Toolkit:
    """Journal, faults and rate limits of one emulator; every piece of state is in its store."""

    def __init__(self, emulator: Emulator) -> None:
        settings = emulator.settings
        self.emulator = emulator
        self.journal = Journal(emulator.store, settings.journal_size)
        seed = settings.seed if settings.seed is not None else secrets.randbits(64)
        self.faults = FaultBook(emulator.store, seed, generations=emulator.generations)
        self.limiter = RateLimiter(
            store=emulator.store,
            wall=emulator.clock.wall,
            defaults=LimitConfig(settings.rate_limit, settings.max_waiting),
            is_waiting=self._is_waiting,
            generations=emulator.generations,
        )

    def _is_waiting(self, call_id: str) -> bool:
        try:
            return self.emulator.calls.status(call_id).status is CallStatus.WAITING
        except NotFound:  # forgotten by a reset
            return False

    def reset(self) -> None:
        """Forget the journal, every fault and the run-time limits (the settings' limits stay)."""
        self.journal.clear()
        self.faults.clear()
        self.limiter.set_config(None)
