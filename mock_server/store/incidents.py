"""Logging a store's trouble once per incident, not once per request.

An incident starts with the first failure (one line, with the reason);
while failures go on, one reminder at most every `REMINDER_SECONDS` says how
many there were; the first success once `REMINDER_SECONDS` passed without a
failure ends it ("available again"). A store that fails writes but serves
reads therefore logs a few lines a minute, not one per request. A lasting
incident (the store was replaced) never ends; it starts with a line of its
own even while a passing one goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bitel_mock.store.errors import StoreUnavailable

REMINDER_SECONDS = 10.0
"""At most one "still unavailable" line per this many seconds; also how long without a
failure before a success ends an incident."""

logger = logging.getLogger("bitel_mock.store")


class IncidentLog:
    """Counts one store's failures and logs them as incidents (thread-safe)."""

    def __init__(
        self,
        *,
        log: logging.Logger = logger,
        reminder_seconds: float = REMINDER_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = log
        self._every = reminder_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self.active = False
        """True during an incident; read on every success, so it is a plain attribute."""
        self._lasting = False
        self._started = 0.0
        self._failures = 0
        self._last_failure = 0.0
        self._last_line = 0.0

    def failed(self, error: StoreUnavailable) -> None:
        """Count one failure (once per error object): the incident's first line, or a reminder."""
        if error.reported:
            return
        error.reported = True
        now = self._monotonic()
        reason = error.reason.rstrip(".")
        with self._lock:
            self._last_failure = now
            if not self.active or (error.lasting and not self._lasting):
                self.active, self._lasting = True, error.lasting
                self._started, self._failures, self._last_line = now, 1, now
                until = "from now on" if error.lasting else "until it is back"
                self._log.warning("store unavailable: %s; answering 503 %s", reason, until)
                return
            self._failures += 1
            if now - self._last_line >= self._every:
                self._last_line = now
                self._log.warning(
                    "store still unavailable: %s (%d failures in %.0f s)",
                    reason,
                    self._failures,
                    now - self._started,
                )

    def succeeded(self) -> None:
        """A store operation worked: ends the incident if none failed for a while."""
        now = self._monotonic()
        with self._lock:
            if not self.active or self._lasting or now - self._last_failure < self._every:
                return
            self.active = False
            self._log.warning(
                "store available again (%d failures over %.0f s)",
                self._failures,
                self._last_failure - self._started,
            )
