"""Typed values of the Bitel voice API: call statuses, call records, phone numbers."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["CallRecord", "CallStatus", "MalformedRecord", "normalize_number"]


class CallStatus(enum.IntEnum):
    """A call's status; the value is the documented `statusCode`."""

    WAITING = 0
    NORMAL = 1
    NO_ANSWER = 2
    USER_BUSY = 3
    EXPIRED = 10
    ERROR = 11
    UNKNOWN = 20

    @property
    def is_final(self) -> bool:
        """True for every status but WAITING: the call will not change any more."""
        return self is not CallStatus.WAITING


class MalformedRecord(ValueError):
    """A record that cannot be read as a call record (the client turns it into an APIError)."""


_RECORD_FIELDS = (
    "id",
    "phoneNumber",
    "status",
    "statusCode",
    "billSec",
    "requestDate",
    "executionDate",
    "price",
)


def _integer(data: Mapping[str, Any], key: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedRecord(f"{key} is not a non-negative integer: {value!r}")
    return value


def _string(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise MalformedRecord(f"{key} is not a string: {value!r}")
    return value


def _timestamp(seconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"{seconds} is beyond the dates Python can represent") from exc


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call as Bitel reports it (the record every voice endpoint returns)."""

    id: str
    phone_number: str
    status: CallStatus
    bill_sec: int
    request_date: int
    """Unix seconds when the request was accepted."""
    execution_date: int
    """Unix seconds when the call was made; 0 until then."""
    price: float
    """Toman: 0.0 until charged, negative once charged."""

    @property
    def status_code(self) -> int:
        """The documented `statusCode`."""
        return int(self.status)

    @property
    def is_final(self) -> bool:
        """True once the call's status will not change any more."""
        return self.status.is_final

    @property
    def requested_at(self) -> datetime:
        """`request_date` as an aware UTC datetime (ValueError past year 9999)."""
        return _timestamp(self.request_date)

    @property
    def executed_at(self) -> datetime | None:
        """`execution_date` as an aware UTC datetime; None while it is 0."""
        return None if self.execution_date == 0 else _timestamp(self.execution_date)

    @classmethod
    def from_json(cls, data: Any) -> CallRecord:
        """Read a record as the API sends it; MalformedRecord names what is wrong."""
        if not isinstance(data, Mapping):
            raise MalformedRecord(f"a call record is a JSON object, not {type(data).__name__}")
        missing = [key for key in _RECORD_FIELDS if key not in data]
        if missing:
            raise MalformedRecord(f"the call record lacks {', '.join(missing)}")
        status_name = _string(data, "status")
        code = _integer(data, "statusCode")
        try:
            status = CallStatus(code)
        except ValueError:
            raise MalformedRecord(f"unknown statusCode {code}") from None
        if status.name != status_name:
            raise MalformedRecord(f"status {status_name!r} does not go with statusCode {code}")
        price = data["price"]
        if isinstance(price, bool) or not isinstance(price, int | float):
            raise MalformedRecord(f"price is not a number: {price!r}")
        try:
            price_value = float(price)
        except OverflowError:
            raise MalformedRecord(f"price is beyond a float: {price!r}") from None
        return cls(
            id=_string(data, "id"),
            phone_number=_string(data, "phoneNumber"),
            status=status,
            bill_sec=_integer(data, "billSec"),
            request_date=_integer(data, "requestDate"),
            execution_date=_integer(data, "executionDate"),
            price=price_value,
        )


# Persian (U+06F0..U+06F9) and Arabic-Indic (U+0660..U+0669) digits to ASCII.
_DIGITS = str.maketrans(
    {chr(0x06F0 + d): str(d) for d in range(10)} | {chr(0x0660 + d): str(d) for d in range(10)}
)


def normalize_number(number: str) -> str:
    """A phone number as real clients send it: Persian and Arabic-Indic digits turned
    into ASCII, every whitespace character removed. Nothing else is changed."""
    if not isinstance(number, str):
        raise TypeError(f"a phone number is a str, not {type(number).__name__}")
    return "".join(number.translate(_DIGITS).split())
