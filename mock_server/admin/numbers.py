"""Integers a control-plane request names in its query or its path: in range, or a 400.

Every integer is at most MAX_INTEGER (2**53 - 1): exact as a JSON number in
any client, and well inside SQLite's and Redis's 64-bit integers, so no
number a client sends can overflow a store. Only ASCII digits with an
optional minus sign are integers (`int()` would also take `+5`, `5_0`, ` 5`
and other scripts' digits).
"""

from __future__ import annotations

import re

from flask import request

from bitel_mock.errors import AdminError

MAX_INTEGER = 2**53 - 1
INVALID = "InvalidRequest"
_INTEGER = re.compile(r"-?[0-9]+")
_MAX_DIGITS = 20
"""More digits than this are out of every range (and never converted)."""


def checked_int(name: str, value: int, low: int, high: int = MAX_INTEGER) -> int:
    """`value` when `low <= value <= high`, else a 400 naming `name`."""
    if not low <= value <= high:
        raise AdminError(INVALID, f"{name} must be between {low} and {high}")
    return value


def parse_int(name: str, raw: str, low: int, high: int = MAX_INTEGER) -> int:
    """The integer written in `raw`, within `low..high`, else a 400 naming `name`."""
    if not _INTEGER.fullmatch(raw):
        raise AdminError(INVALID, f"{name} must be an integer, not {raw[:40]!r}")
    if len(raw.lstrip("-").lstrip("0")) > _MAX_DIGITS:
        return checked_int(name, high + 1, low, high)
    return checked_int(name, int(raw), low, high)


def query_int(name: str, default: int, low: int, high: int = MAX_INTEGER) -> int:
    """The query parameter `name` as an integer within `low..high`; `default` when absent."""
    raw = request.args.get(name)
    return default if raw is None else parse_int(name, raw, low, high)
