"""Reading a control-plane request body: strict JSON, checked against its schema."""

from __future__ import annotations

from typing import Any

from flask import request

import contracts
from mock_server.errors import AdminError, InvalidRequest
from mock_server.http.body import parse_json

INVALID = "InvalidRequest"


def json_body(schema_name: str) -> dict[str, Any]:
    """The body as a dict valid against `contracts/schemas/<schema_name>.json`, or a 400 naming the problem."""
    try:
        body = parse_json(request.get_data(cache=True))
    except InvalidRequest as exc:
        raise AdminError(INVALID, exc.detail) from None
    validator = contracts.validator(schema_name)
    try:
        error = next(validator.iter_errors(body), None)
    except (ValueError, OverflowError, TypeError) as exc:
        raise AdminError(INVALID, str(exc)) from None
    if error is not None:
        where = "/".join(str(part) for part in error.instance_path) or "the body"
        raise AdminError(INVALID, f"{where}: {error.message}")
    return body
