"""The values the domain works with: a call request, a call, the calls of one request, and a
call's record."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from bitel_mock.domain.ids import IdCodec


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
class CallBatch:
    """The calls of one accepted request, before they are numbered, as one value: what they
    share, once; their numbers and plans as columns (each distinct plan once, with each
    call's index into them).

    Nothing in it depends on the numbers the calls will have, so a store can
    number the calls and keep them in one write (`PlacedCalls` is the batch
    once numbered).
    """

    id_key: int
    """The key their ids are made under (`IdCodec`)."""
    phone_numbers: tuple[str, ...]
    """As sent, one per call."""
    local_numbers: tuple[str, ...]
    plans: tuple[Plan, ...]
    plan_of: tuple[int, ...] | None
    """Each call's index in `plans`; None when every call has `plans[0]`."""
    kind: CallKind
    request_date: int
    retry_count: int
    voice_id: str | None = None
    text: str | None = None
    server_id: str | None = None
    repeat_count: int | None = None
    token_fingerprint: str | None = None

    def __post_init__(self) -> None:
        count = len(self.phone_numbers)
        if len(self.local_numbers) != count or not self.plans:
            raise ValueError("every call needs its number as sent, its local form and a plan")
        plan_of = self.plan_of
        if plan_of is not None and (
            len(plan_of) != count
            or (count and not 0 <= min(plan_of) <= max(plan_of) < len(self.plans))
        ):
            raise ValueError("every call's plan index must name one of the plans")

    def __len__(self) -> int:
        return len(self.phone_numbers)

    def plan_at(self, index: int) -> Plan:
        """The plan of the call at `index`."""
        return self.plans[0 if self.plan_of is None else self.plan_of[index]]

    def call_at(self, index: int, *, call_id: str, sequence: int, campaign_id: str) -> Call:
        """The call at `index`, once numbered (`sequence`, `call_id`) in its campaign."""
        return Call(
            id=call_id,
            sequence=sequence,
            phone_number=self.phone_numbers[index],
            local_number=self.local_numbers[index],
            kind=self.kind,
            request_date=self.request_date,
            retry_count=self.retry_count,
            plan=self.plan_at(index),
            voice_id=self.voice_id,
            text=self.text,
            server_id=self.server_id,
            repeat_count=self.repeat_count,
            campaign_id=campaign_id,
            token_fingerprint=self.token_fingerprint,
        )


class PlacedCalls(Sequence[Call]):
    """A request's `CallBatch` numbered from `first_sequence`: a sequence of `Call`, each made
    when asked for (a request of 100 numbers is planned, kept and answered without a hundred
    objects). Ids and the campaign id follow from the numbers and the batch's key."""

    __slots__ = ("_campaign_id", "_ids", "batch", "first_sequence")

    def __init__(self, batch: CallBatch, first_sequence: int) -> None:
        self.batch = batch
        self.first_sequence = first_sequence
        self._ids: list[str] | None = None
        self._campaign_id: str | None = None

    @property
    def ids(self) -> list[str]:
        """Every call's id, in order."""
        if self._ids is None:
            self._ids = IdCodec(self.batch.id_key).encode_run(self.first_sequence, len(self.batch))
        return self._ids

    @property
    def campaign_id(self) -> str:
        """32 hex, shared by every call of the request."""
        if self._campaign_id is None:
            self._campaign_id = IdCodec(self.batch.id_key).campaign_id(self.first_sequence)
        return self._campaign_id

    def __len__(self) -> int:
        return len(self.batch)

    @overload
    def __getitem__(self, index: int) -> Call: ...

    @overload
    def __getitem__(self, index: slice) -> list[Call]: ...

    def __getitem__(self, index: int | slice) -> Call | list[Call]:
        if isinstance(index, slice):
            return [self._call(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("no call at this index")
        return self._call(index)

    def __iter__(self) -> Iterator[Call]:
        return map(self._call, range(len(self)))

    def _call(self, index: int) -> Call:
        return self.batch.call_at(
            index,
            call_id=self.ids[index],
            sequence=self.first_sequence + index,
            campaign_id=self.campaign_id,
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlacedCalls):
            return self.first_sequence == other.first_sequence and self.batch == other.batch
        if isinstance(other, list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PlacedCalls(first_sequence={self.first_sequence}, count={len(self)})"


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
