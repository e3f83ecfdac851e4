"""The one error every store raises when it cannot do its job: the store is unavailable.

The HTTP layer answers it with 503 `ServiceUnavailable` and `Retry-After`;
nothing the failed operation meant to keep was kept. Each store turns its
own backend's trouble (a lost connection, a timeout, a full disk, a lock
held too long) into `StoreUnavailable`; anything else is a bug and stays
what it is.
"""

from __future__ import annotations


class StoreUnavailable(Exception):
    """The store could not be read or written just now; nothing was kept."""

    lasting = False
    """True when waiting will not help (the process must be restarted)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reported = False
        """Set once the incident log has counted this failure (it may pass several guards)."""


class StoreReplaced(StoreUnavailable):
    """The store's state is not the one this process opened (it came back empty, was swapped,
    or went back in time): numbering or finding calls now could issue an id twice."""

    lasting = True
