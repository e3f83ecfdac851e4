"""Typed values of the Bitel voice API: call statuses, call records, phone numbers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bitel_mock.client.fields import (
    MalformedRecord,
    finite_number,
    non_negative_integer,
    require,
    string,
    timestamp,
)

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
        return timestamp(self.request_date)

    @property
    def executed_at(self) -> datetime | None:
        """`execution_date` as an aware UTC datetime; None while it is 0."""
        return None if self.execution_date == 0 else timestamp(self.execution_date)

    @classmethod
    def from_json(cls, data: Any) -> CallRecord:
        """Read a record as the API sends it; MalformedRecord names what is wrong."""
        data = require(data, _RECORD_FIELDS, "call record")
        status_name = string(data, "status")
        code = non_negative_integer(data, "statusCode")
        try:
            status = CallStatus(code)
        except ValueError:
            raise MalformedRecord(f"unknown statusCode {code}") from None
        if status.name != status_name:
            raise MalformedRecord(f"status {status_name!r} does not go with statusCode {code}")
        return cls(
            id=string(data, "id"),
            phone_number=string(data, "phoneNumber"),
            status=status,
            bill_sec=non_negative_integer(data, "billSec"),
            request_date=non_negative_integer(data, "requestDate"),
            execution_date=non_negative_integer(data, "executionDate"),
            price=finite_number(data, "price"),
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
