"""The emulated API's one response shape: `{"result": ..., "error": ...}`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, g

from bitel_mock.jsontext import dumps_bytes

JSON_MIMETYPE = "application/json"


def dumps(payload: Any) -> bytes:
    """Compact JSON, keys in the order given."""
    return dumps_bytes(payload)


def json_response(payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response, compact, keys in the order given."""
    return Response(dumps(payload), status=status, headers=dict(headers or {}), mimetype=JSON_MIMETYPE)


PLACED_IDS = "bitel_placed_ids"
ERROR_CODE = "bitel_error_code"
"""Keys in `flask.g` under which an answer records what it said, so after-request
hooks (the journal) need not parse the body they just produced."""


def ok(result: Any) -> Response:
    """200 with `result` and `error: null`."""
    return json_response({"result": result, "error": None})


def error(code: str, status: int, headers: Mapping[str, str] | None = None) -> Response:
    """An error in the envelope: `result: null`, `error` the plain string code."""
    setattr(g, ERROR_CODE, code)
    return json_response({"result": None, "error": code}, status, headers)
