"""Strict JSON: what the emulator takes for a JSON document, in bodies and in its journal.

UTF-8 text, no NaN or Infinity, no number too large to be a finite float,
and no string holding a lone surrogate (`"\\ud800"` is valid JSON syntax
but no text: it could be neither stored nor answered as UTF-8).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONG_DIGITS = re.compile(rb"[0-9]{19}")
"""Nineteen digits in a row: perhaps an integer beyond 64 bits, which orjson would not keep."""
"""A `\\uD800`-`\\uDFFF` escape: the only way a lone surrogate gets into parsed JSON (raw
UTF-8 cannot encode one)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _all_text(document: Any) -> bool:
    """Whether every string (keys included) of a parsed document encodes as UTF-8."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if not _is_text(value):
                return False
        elif isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return True


def loads(raw: bytes) -> Any:
    """The JSON document in `raw`, or ValueError saying why it is none.

    orjson reads what it can (it refuses NaN, infinities and lone surrogates as this module
    does, but would turn an integer beyond 64 bits into a float): anything it refuses, or a
    body with a long run of digits, is read by the standard library, which says why.
    """
    if not _LONG_DIGITS.search(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return _loads_slowly(raw)


def _loads_slowly(raw: bytes) -> Any:
    text = raw.decode("utf-8")  # UnicodeDecodeError is a ValueError
    try:
        document = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _SURROGATE_ESCAPE.search(text) and not _all_text(document):
        raise ValueError("a string holds a lone surrogate escape (\\ud800 to \\udfff)")
    return document
