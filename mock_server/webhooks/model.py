"""The values of webhook delivery: a pending event and one journaled delivery attempt."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple


class PendingEvent(NamedTuple):
    """One call's webhook, waiting in the store until it is due (and again after a failure).

    A named tuple of plain values: a hundred are made per accepted batch, so
    it is kept cheap. The body is built from the call when it is delivered.
    """

    call_id: str
    """The event's identity: one event per call (`requestId` of the body)."""
    sequence: int
    """The call's sequence number: the tie-break of events due at the same second."""
    due_at: float
    """Emulator time (Unix seconds) from which the event may be delivered."""
    attempt: int
    """The number this delivery attempt will have: 1 for the first."""
    token_fingerprint: str | None
    """Whose webhook URL it goes to (None: the default URL)."""


class DeliveryKind(enum.Enum):
    DELIVERY = "delivery"
    """A scheduled attempt (the first, or a retry)."""
    DUPLICATE = "duplicate"
    """An extra copy sent by the duplicate fault."""
    REDELIVERY = "redelivery"
    """Sent again on request through the control plane."""


class DeliveryOutcome(enum.Enum):
    DELIVERED = "delivered"
    """The receiver answered 2xx."""
    RETRYING = "retrying"
    """Failed; another attempt is scheduled."""
    FAILED = "failed"
    """Failed, and no attempt is left (or this was a copy or a redelivery)."""
    SKIPPED = "skipped"
    """Nothing was sent: no webhook URL applied when it became due, or its target was
    refused (this emulator, a link-local or metadata address; `error` says which)."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One journaled attempt to deliver an event."""

    id: int
    """Given by the store (0 until journaled)."""
    call_id: str
    campaign_id: str | None
    attempt: int
    kind: DeliveryKind
    at: int
    """Emulator time of the attempt (Unix seconds)."""
    url: str | None
    status: int | None
    """The receiver's HTTP status, if it answered."""
    error: str | None
    """What went wrong: a transport error, a timeout, a non-2xx status."""
    latency_ms: float
    outcome: DeliveryOutcome
    next_attempt_at: int | None
    """When the retry is due, when one was scheduled."""
    token_fingerprint: str | None
    body: Mapping[str, Any] | None
    """What was sent (None when nothing was)."""
