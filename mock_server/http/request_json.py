"""A request's body parsed as JSON once, whoever asks first: the toolkit's journal (before
the route) or the route.

The document (or the fact that the body is not JSON) is kept in the WSGI
environ for the rest of the request, as `http.body` keeps the bytes.
"""

from __future__ import annotations

from typing import Any

from flask import Request

from bitel_mock import strictjson
from bitel_mock.http.body import body_bytes, parse_json

_KEY = "bitel_mock.json"
_UNPARSED = object()
_NOT_JSON = object()


def _parsed(request: Request, raw: bytes) -> Any:
    kept = request.environ.get(_KEY, _UNPARSED)
    if kept is _UNPARSED:
        try:
            kept = strictjson.loads(raw)
        except ValueError:
            kept = _NOT_JSON
        request.environ[_KEY] = kept
    return kept


def json_or_none(request: Request, raw: bytes) -> Any:
    """The document in `raw` (the request's body), or None when it is not JSON."""
    document = _parsed(request, raw)
    return None if document is _NOT_JSON else document


def request_json(request: Request) -> Any:
    """The request's body parsed as JSON (413 or 400 first when it cannot be read whole;
    InvalidRequest, saying why, when it is not JSON)."""
    raw = body_bytes(request)
    document = _parsed(request, raw)
    if document is _NOT_JSON:
        return parse_json(raw)  # parsed again only to say why it is not JSON
    return document
