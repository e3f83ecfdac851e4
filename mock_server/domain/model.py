"""The values the domain works with: a call request, a call, and its record."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class CallStatus(enum.Enum):
    """A call's status and the code the API reports with it (doc: Call Status)."""

    WAITING = 0
    NORMAL = 1
    NO_ANSWER = 2
    USER_BUSY = 3
    EXPIRED = 10
    ERROR = 11
    UNKNOWN = 20

    @property
    def code(self) -> int:
        return self.value

    @property
    def is_final(self) -> bool:
        return self is not CallStatus.WAITING


class CallKind(enum.Enum):
    """Which endpoint placed the call."""

    BATCH = "batch"
    BATCH_TTS = "batch_tts"
    SINGLE = "single"
    TTS = "tts"
    OTP = "otp"


@dataclass(frozen=True, slots=True)
class CallRequest:
    """A validated request to place calls, whatever endpoint it came through."""

    kind: CallKind
    phone_numbers: tuple[str, ...]
    retry_count: int = 1
    voice_id: str | None = None
    text: str | None = None
    server_id: str | None = None
    repeat_count: int | None = None
    token_fingerprint: str | None = None
    """Who asked (a fingerprint of the bearer token, never the token): picks the webhook URL."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One planned dialling of a call."""

    start: int
    """Unix second the number is dialled."""
    ring_seconds: int
    outcome: CallStatus
    """NORMAL, NO_ANSWER, USER_BUSY, ERROR or UNKNOWN."""
    talk_seconds: int = 0
    """Seconds talked; more than 0 only when the outcome is NORMAL."""

    @property
    def end(self) -> int:
        return self.start + self.ring_seconds + self.talk_seconds


@dataclass(frozen=True, slots=True)
class Plan:
    """A call's whole future, fixed when it is accepted."""

    attempts: tuple[Attempt, ...]
    status: CallStatus
    """The final status."""
    final_at: int
    """Unix second from which the call reports its final record."""
    execution_date: int
    bill_sec: int
    price: float


@dataclass(slots=True)
class Call:
    """One accepted call: what was asked, and when. Never changed once made.

    Not `frozen`: a frozen dataclass sets each field through `object.__setattr__`,
    and a call is made per number accepted (the profile of a 100-number batch
    put that at a sixth of the request).
    """

    id: str
    sequence: int
    """The call's number among all calls of its store (the id encodes it)."""
    phone_number: str
    """The number exactly as sent (echoed in every record)."""
    local_number: str
    """The same number in the local form 09XXXXXXXXX."""
    kind: CallKind
    request_date: int
    retry_count: int
    plan: Plan
    voice_id: str | None = None
    text: str | None = None
    server_id: str | None = None
    repeat_count: int | None = None
    campaign_id: str | None = None
    """32 hex, shared by every call of one request (a single call is a campaign of one)."""
    token_fingerprint: str | None = None
    """A fingerprint of the bearer token that placed the call (never the token itself)."""


@dataclass(frozen=True, slots=True)
class CallRecord:
    """What the API reports about a call at one moment."""

    id: str
    phone_number: str
    status: CallStatus
    bill_sec: int
    request_date: int
    execution_date: int
    price: float

    def to_wire(self) -> dict[str, Any]:
        """The record as the API sends it, keys in the vendor's order."""
        status = self.status
        return {
            "id": self.id,
            "phoneNumber": self.phone_number,
            # `_name_`/`_value_` are plain attributes: much cheaper than the enum properties.
            "status": status._name_,
            "statusCode": status._value_,
            "billSec": self.bill_sec,
            "requestDate": self.request_date,
            "executionDate": self.execution_date,
            "price": float(self.price),
        }
