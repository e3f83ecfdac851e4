"""Reading one field of a JSON record strictly: each reader returns the typed value or raises
`MalformedRecord` naming the field (shared by the call and the message records)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "MalformedRecord",
    "finite_number",
    "non_negative_integer",
    "require",
    "string",
    "timestamp",
]


class MalformedRecord(ValueError):
    """A record that cannot be read as the model it should be (the client turns it into an
    APIError)."""


def require(data: Any, fields: tuple[str, ...], what: str) -> Mapping[str, Any]:
    """`data` as a mapping holding every one of `fields`."""
    if not isinstance(data, Mapping):
        raise MalformedRecord(f"a {what} is a JSON object, not {type(data).__name__}")
    missing = [key for key in fields if key not in data]
    if missing:
        raise MalformedRecord(f"the {what} lacks {', '.join(missing)}")
    return data


def non_negative_integer(data: Mapping[str, Any], key: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedRecord(f"{key} is not a non-negative integer: {value!r}")
    return value


def string(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise MalformedRecord(f"{key} is not a string: {value!r}")
    return value


def finite_number(data: Mapping[str, Any], key: str) -> float:
    """A JSON number (integer or not) as a finite float; booleans, NaN, infinities and
    integers beyond a float refused."""
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedRecord(f"{key} is not a number: {value!r}")
    try:
        result = float(value)
    except OverflowError:
        raise MalformedRecord(f"{key} is beyond a float: {value!r}") from None
    if not math.isfinite(result):
        raise MalformedRecord(f"{key} is not a finite number: {value!r}")
    return result


def timestamp(seconds: int) -> datetime:
    """Unix seconds as an aware UTC datetime (ValueError past year 9999)."""
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"{seconds} is beyond the dates Python can represent") from exc
