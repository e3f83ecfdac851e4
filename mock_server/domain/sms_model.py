"""The values of the SMS family: delivery codes, a message request, a message, and its record."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

DEFAULT_GATEWAY = "10009909"
"""The line every vendor sample shows: used when a request names none."""


class SmsStatus(enum.Enum):
    """A message's delivery code (doc: SMS Detail) with the text the record shows beside it."""

    WAITING = 0
    DELIVERED = 1
    CHECK_OK = 2
    DELIVERY_FAILED = 4
    BLACKLIST = 5
    ERROR = 9
    CHECK_ERROR = 10

    @property
    def code(self) -> int:
        return self.value

    @property
    def text(self) -> str:
        """`statusText`: only `Waiting` is ever shown by the vendor; the rest in its style."""
        return _TEXTS[self]

    @property
    def is_final(self) -> bool:
        return self not in (SmsStatus.WAITING, SmsStatus.CHECK_OK)

    @property
    def is_charged(self) -> bool:
        """Whether a message in this state has been paid for (handed to the operator)."""
        return self in CHARGED


_TEXTS = {
    SmsStatus.WAITING: "Waiting",
    SmsStatus.DELIVERED: "Delivered",
    SmsStatus.CHECK_OK: "CheckOk",
    SmsStatus.DELIVERY_FAILED: "DeliveryFailed",
    SmsStatus.BLACKLIST: "Blacklist",
    SmsStatus.ERROR: "Error",
    SmsStatus.CHECK_ERROR: "CheckError",
}
_TEXTS_BY_CODE = {status.value: text for status, text in _TEXTS.items()}
CHARGED: frozenset[SmsStatus] = frozenset(
    {SmsStatus.DELIVERED, SmsStatus.CHECK_OK, SmsStatus.DELIVERY_FAILED}
)
"""Codes of a message the operator took: it is paid for."""

FINAL_OUTCOMES: frozenset[SmsStatus] = frozenset(status for status in SmsStatus if status.is_final)
"""What a message can end in: the outcomes rules, magic numbers and distributions may name."""

HANDED_OVER: frozenset[SmsStatus] = frozenset({SmsStatus.DELIVERED, SmsStatus.DELIVERY_FAILED})
"""Final outcomes reached through CHECK_OK (the operator took the message); the others are
refusals, final as soon as the message is checked."""


class MessageKind(enum.Enum):
    """Which endpoint sent the message."""

    SINGLE = "single"
    BATCH = "batch"
    P2P = "p2p"
    OTP = "otp"
    TEMPLATE = "template"

    @property
    def has_batch(self) -> bool:
        """Whether the messages of one request share a batch id (null otherwise)."""
        return self in (MessageKind.BATCH, MessageKind.P2P)


@dataclass(frozen=True, slots=True)
class SmsRequest:
    """A validated request to send messages, whatever endpoint it came through.

    `texts` holds one text per number (a batch repeats its one text; OTP and
    template requests carry the rendered text, or None until rendered).
    """

    kind: MessageKind
    phone_numbers: tuple[str, ...]
    texts: tuple[str, ...] = ()
    gateway_number: str | None = None
    app_name: str | None = None
    code: str | None = None
    template_id: int | None = None
    params: tuple[str, ...] = ()
    owner: str | None = None
    """Who asked: the bearer token's fingerprint (never the token)."""


@dataclass(frozen=True, slots=True)
class MessagePlan:
    """A message's whole future, fixed when it is accepted."""

    outcome: SmsStatus
    """The final code."""
    checked_at: int
    """Unix second the message leaves WAITING (for CHECK_OK, or a refusal that is final)."""
    final_at: int
    """Unix second from which the record shows `outcome`."""
    price: float
    """The price once charged (negative), or 0.0 for an outcome that is never charged."""


@dataclass(slots=True)
class Message:
    """One accepted message: what was asked, and its plan. Never changed once made."""

    id: str
    sequence: int
    """The message's number in the sequence that calls share (the id encodes it)."""
    phone_number: str
    """The number exactly as sent (echoed in every record)."""
    local_number: str
    """The same number in the local form 09XXXXXXXXX."""
    kind: MessageKind
    gateway_number: str
    text: str
    """The text sent: as given, or as rendered (OTP, template)."""
    request_date: int
    part_count: int
    plan: MessagePlan
    batch_id: str | None = None
    """32 hex shared by the messages of one batch or p2p request; None for the others."""
    owner: str | None = None
    """A fingerprint of the bearer token that sent the message (never the token itself)."""
    template_id: int | None = None


@dataclass(frozen=True, slots=True)
class SmsRecord:
    """What the API reports about a message at one moment."""

    id: str
    gateway_number: str
    phone_number: str
    message: str
    request_date: int
    status: SmsStatus
    part_count: int
    price: float

    def to_wire(self) -> dict[str, Any]:
        """The record as the API sends it, keys in the order of the vendor's samples."""
        return wire_record(
            self.id,
            self.gateway_number,
            self.phone_number,
            self.message,
            self.request_date,
            self.status,
            self.part_count,
            self.price,
        )


def wire_record(
    message_id: str,
    gateway_number: str,
    phone_number: str,
    text: str,
    request_date: int,
    status: SmsStatus,
    part_count: int,
    price: float,
) -> dict[str, Any]:
    """A record as the API sends it, keys in the order of the vendor's samples (built
    straight from its values: a batch answers a hundred of them)."""
    return {
        "id": message_id,
        "gatewayNumber": gateway_number,
        "phoneNumber": phone_number,
        "message": text,
        "requestDate": request_date,
        # `_value_` is a plain attribute: much cheaper than the enum property.
        "status": status._value_,
        "statusText": _TEXTS_BY_CODE[status._value_],
        "partCount": part_count,
        "price": float(price),
    }


@dataclass(frozen=True, slots=True)
class SmsTemplate:
    """A text registered in the panel, with positional placeholders `{1}`..`{n}`."""

    id: int
    text: str
    pending: bool = False
    """Registered but not yet reviewed: sending with it is `TemplatePending`."""
