"""A stop signal that reaches a granian worker before the worker listens for one.

A worker is forked from the master with the master's Python signal handlers,
and installs its own only after it has built its app. A SIGTERM or SIGINT in
between (a stop right after start, to the whole process group or from the
master) would run the master's handler in the worker, which does nothing
there: the worker would serve on until killed after the graceful timeout.

`EarlyStops` keeps such a signal (`keep`, called by the master's handler when
it runs in a worker) and, once the worker's own handler is in place, sends
the signal again to the worker itself (`pass_on_when_replaced`).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
WAIT_SECONDS = 30.0
"""The longest a worker may take to put its own handler in place."""
POLL_SECONDS = 0.005


class EarlyStops:
    """The stop signals a worker received before it listened for them."""

    def __init__(self, *, kill: Callable[[int, int], None] = os.kill) -> None:
        self.kept: list[int] = []
        self._kill = kill

    def keep(self, signum: int) -> None:
        self.kept.append(signum)

    def pass_on(self, inherited: Any) -> None:
        """Wait until the SIGTERM handler is no longer `inherited`, then send what was kept."""
        deadline = time.monotonic() + WAIT_SECONDS
        while signal.getsignal(signal.SIGTERM) == inherited and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)  # the worker's main thread installs its handler soon
        if self.kept:
            self._kill(os.getpid(), self.kept[0])

    def pass_on_when_replaced(self) -> None:
        """In a starting worker: pass on, from a thread, what reaches the inherited handler."""
        inherited = signal.getsignal(signal.SIGTERM)
        threading.Thread(target=self.pass_on, args=(inherited,), daemon=True).start()
