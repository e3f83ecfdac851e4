"""Reading a request body as strict JSON, whatever its content type says.

The real service's handling of a missing or odd Content-Type is unknown; the
emulator parses the body as JSON regardless (docs/fidelity.md). Anything that
is not UTF-8 JSON, or that uses NaN/Infinity or numbers too large to be
finite, is InvalidRequest.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Request

from bitel_mock.errors import InvalidRequest


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def parse_json(raw: bytes) -> Any:
    """The JSON document in `raw`, or InvalidRequest."""
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidRequest(f"the body is not JSON: {exc}") from None


def read_json(request: Request) -> Any:
    """The request's body parsed as JSON (a body over the size limit raises 413 first)."""
    return parse_json(request.get_data(cache=True))
