"""Fast, compact JSON for the hot paths (answers, stored calls, the journal).

orjson does the work; what it refuses (strings with lone surrogates, which a
client may send and the emulator keeps, or integers beyond 64 bits) falls back
to the standard library, so nothing a client sent can make an answer fail.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps_bytes(value: Any) -> bytes:
    """Compact JSON as UTF-8 bytes, keys in the order given."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, separators=(",", ":")).encode()


def dumps(value: Any) -> str:
    """Compact JSON as text, keys in the order given."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
