"""The thread that runs a dispatcher on a real clock: polls the store for due events."""

from __future__ import annotations

import logging
import threading

from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.webhooks.dispatcher import WebhookDispatcher

POLL_SECONDS = 0.25
"""How often the store is asked for due events: the most a due event waits on a real clock."""

logger = logging.getLogger("bitel_mock.webhooks")


class BackgroundDispatcher:
    """A daemon thread calling `deliver_due` every POLL_SECONDS; started once, on demand."""

    def __init__(self, dispatcher: WebhookDispatcher, poll_seconds: float = POLL_SECONDS) -> None:
        self.dispatcher = dispatcher
        self.poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def ensure_started(self) -> None:
        """Start the thread unless it runs (cheap when it does)."""
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(
                    target=self._run, name="bitel-mock:webhooks", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.dispatcher.deliver_due()
            except StoreUnavailable:
                pass  # the store logs its trouble once per incident; the next poll tries again
            except Exception:  # keep polling: one bad run must not stop every later delivery
                logger.exception("webhook delivery run failed")
            self._stop.wait(self.poll_seconds)

    def stop(self) -> None:
        """Stop polling and join the thread (a delivery under way finishes first)."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stop.set()
        if thread is not None:
            thread.join()
