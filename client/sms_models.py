"""Typed values of the Bitel SMS API (v2): delivery statuses and message records."""

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

__all__ = ["SmsRecord", "SmsStatus"]


class SmsStatus(enum.IntEnum):
    """A message's delivery status; the value is the documented code (the record's `status`)."""

    WAITING = 0
    DELIVERED = 1
    CHECK_OK = 2
    """Handed to the operator; later DELIVERED or DELIVERY_FAILED."""
    DELIVERY_FAILED = 4
    BLACKLIST = 5
    ERROR = 9
    CHECK_ERROR = 10

    @property
    def is_final(self) -> bool:
        """True for every status but WAITING and CHECK_OK: the message will not change any more."""
        return self not in (SmsStatus.WAITING, SmsStatus.CHECK_OK)


_RECORD_FIELDS = (
    "id",
    "gatewayNumber",
    "phoneNumber",
    "message",
    "requestDate",
    "status",
    "statusText",
    "partCount",
    "price",
)


@dataclass(frozen=True, slots=True)
class SmsRecord:
    """One message as Bitel reports it (the record every SMS endpoint returns)."""

    id: str
    gateway_number: str
    """The line it is sent from."""
    phone_number: str
    message: str
    """The text as sent, or as rendered from an OTP or a template."""
    request_date: int
    """Unix seconds when the request was accepted."""
    status: SmsStatus
    status_text: str
    """The server's word for the status (`Waiting` while it is WAITING)."""
    part_count: int
    """How many parts the text takes (each is billed)."""
    price: float
    """Toman: 0.0 until charged, negative once charged."""

    @property
    def status_code(self) -> int:
        """The documented code (the record's `status`)."""
        return int(self.status)

    @property
    def is_final(self) -> bool:
        """True once the message's status will not change any more."""
        return self.status.is_final

    @property
    def requested_at(self) -> datetime:
        """`request_date` as an aware UTC datetime (ValueError past year 9999)."""
        return timestamp(self.request_date)

    @classmethod
    def from_json(cls, data: Any) -> SmsRecord:
        """Read a record as the API sends it; MalformedRecord names what is wrong."""
        data = require(data, _RECORD_FIELDS, "message record")
        code = non_negative_integer(data, "status")
        try:
            status = SmsStatus(code)
        except ValueError:
            raise MalformedRecord(f"unknown status {code}") from None
        return cls(
            id=string(data, "id"),
            gateway_number=string(data, "gatewayNumber"),
            phone_number=string(data, "phoneNumber"),
            message=string(data, "message"),
            request_date=non_negative_integer(data, "requestDate"),
            status=status,
            status_text=string(data, "statusText"),
            part_count=non_negative_integer(data, "partCount"),
            price=finite_number(data, "price"),
        )
