"""Reading a control-plane request body: strict JSON, optionally checked against its schema.

The emulated API's own readers do the work (`http.body.parse_json`,
`http.endpoints.validate`); this module only turns their InvalidRequest into
the control plane's `{"error", "message"}` 400.
"""

from __future__ import annotations

from typing import Any

from flask import request

from bitel_mock import contracts
from bitel_mock.errors import AdminError, InvalidRequest
from bitel_mock.http.body import body_bytes, parse_json
from bitel_mock.http.endpoints import validate

INVALID = "InvalidRequest"


def raw_json() -> Any:
    """The body parsed as strict JSON, or a 400 saying why not."""
    try:
        return parse_json(body_bytes(request))
    except InvalidRequest as exc:
        raise AdminError(INVALID, exc.detail) from None


def json_body(schema_name: str) -> dict[str, Any]:
    """The body as a dict valid against `contracts/schemas/<schema_name>.json`, or a 400 naming the problem."""
    body = raw_json()
    try:
        validate(contracts.validator(schema_name), body)
    except InvalidRequest as exc:
        raise AdminError(INVALID, exc.detail) from None
    return body
