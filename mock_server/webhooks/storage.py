"""What webhook delivery needs of a store: its run-time configuration, the pending events and
their claims, the deliveries journal, and the calls the events are about.

Every method is atomic on its own, so several dispatchers (threads, workers,
hosts) can share one store; one that cannot reach its state raises
`StoreUnavailable` and keeps nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bitel_mock.domain.model import Call
from bitel_mock.webhooks.model import Delivery, PendingEvent

MAX_DELIVERIES = 10_000
"""The deliveries journal keeps this many attempts; older ones are forgotten."""


class WebhookStore(Protocol):
    """Webhook configuration, pending events and journaled deliveries."""

    def webhook_config(self) -> dict[str, Any] | None:
        """The webhook configuration as set at run time (a JSON object), or None if never set."""
        ...

    def set_webhook_config(self, config: dict[str, Any] | None) -> None:
        """Replace the run-time webhook configuration (None: back to the settings'); moves the
        generation."""
        ...

    def generation(self) -> int | None:
        """The control plane's generation (see `domain.storage.ScenarioStore.generation`)."""
        ...

    def get_call(self, sequence: int) -> Call | None:
        """The call an event is about (by its sequence number), or None once forgotten."""
        ...

    def add_webhook_events(self, events: Sequence[PendingEvent]) -> None:
        """Keep these pending events (one write for a whole request), all or none."""
        ...

    def claim_due_events(
        self, now: float, limit: int, claimer: str, lease_seconds: float
    ) -> list[PendingEvent]:
        """Atomically take up to `limit` events due at `now` (`due_at <= now`) that nobody holds,
        or whose holder's lease ran out, in due order (`due_at`, then `sequence`).

        They stay kept, held by `claimer` until `now + lease_seconds`: no other
        claimer gets them meanwhile. The holder then calls `finish_event` or
        `reschedule_event`; if it never does (it died), they are claimable again
        once the lease runs out.
        """
        ...

    def finish_event(self, call_id: str, claimer: str) -> bool:
        """Forget a held event (delivered, or given up); False if `claimer` does not hold it."""
        ...

    def reschedule_event(self, event: PendingEvent, claimer: str) -> bool:
        """Replace a held event by `event` (same call id, a later `due_at` and the next
        `attempt`) and release it; False if `claimer` does not hold it."""
        ...

    def count_pending_events(self) -> int:
        """How many events wait (held ones included)."""
        ...

    def add_delivery(self, delivery: Delivery) -> Delivery:
        """Journal one attempt; return it with its id (1, 2, ... per store). Keeps the newest
        MAX_DELIVERIES."""
        ...

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        """The journaled attempt with this id, or None (also once forgotten)."""
        ...

    def list_deliveries(
        self, *, call_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[int, list[Delivery]]:
        """How many attempts match, and a page of them, newest first (optionally of one call)."""
        ...

    def close(self) -> None:
        """Release what this process holds of the store (connections)."""
        ...
