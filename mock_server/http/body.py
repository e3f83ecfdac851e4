"""Reading a request body: whole and within the size limit whatever its framing, then as JSON.

`body_bytes` is the one reader of a request's body. With a Content-Length,
werkzeug refuses a length over `MAX_CONTENT_LENGTH` (413) before reading.
Without one (a chunked body), werkzeug's limited stream would silently stop
at the limit and hand over a truncated body, so the raw stream is read here
up to one byte past the limit: a body over it is 413, never cut. A body that
cannot be read (a malformed chunk, a connection closed early) is 400.

The real service's handling of a missing or odd Content-Type is unknown; the
emulator parses the body as JSON regardless (docs/fidelity.md). Anything that
is not strict JSON (`bitel_mock.strictjson`) is InvalidRequest.
"""

from __future__ import annotations

from typing import IO, Any

from flask import Request
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge

from bitel_mock import strictjson
from bitel_mock.errors import InvalidRequest

BODY_KEY = "bitel_mock.body"
"""WSGI environ key: the body once read (bytes), or the HTTP error reading it raised."""
READ_SIZE = 64 * 1024


def too_large(limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(f"the body is larger than {limit} bytes")


def _read_up_to(stream: IO[bytes], limit: int | None) -> bytes:
    """The stream to its end, or `limit + 1` bytes when it is longer than `limit`."""
    parts: list[bytes] = []
    kept = 0
    while limit is None or kept <= limit:
        want = READ_SIZE if limit is None else min(READ_SIZE, limit + 1 - kept)
        part = stream.read(want)
        if not part:
            break
        parts.append(part)
        kept += len(part)
    return b"".join(parts)


def _is_unsized(request: Request) -> bool:
    """A body framed by the server (chunked), with no Content-Length to check first."""
    return request.content_length is None and bool(request.environ.get("wsgi.input_terminated"))


def _read(request: Request) -> bytes | HTTPException:
    limit = request.max_content_length
    try:
        if not _is_unsized(request):
            return request.get_data(cache=True)
        data = _read_up_to(request.environ["wsgi.input"], limit)
    except HTTPException as exc:  # 413 for a Content-Length over the limit, 400 for a disconnect
        return exc
    except Exception as exc:  # the server's chunk decoder: a malformed chunk, a cut connection
        return BadRequest(f"the body could not be read: {exc}")
    if limit is not None and len(data) > limit:
        return too_large(limit)
    return data


def body_bytes(request: Request) -> bytes:
    """The request's whole body; 413 when it is over the limit, 400 when it cannot be read.

    Read once per request: later calls answer the same bytes, or raise the same error.
    """
    kept = request.environ.get(BODY_KEY)
    if kept is None:
        kept = request.environ[BODY_KEY] = _read(request)
    if isinstance(kept, HTTPException):
        raise kept
    return kept


def parse_json(raw: bytes) -> Any:
    """The JSON document in `raw`, or InvalidRequest."""
    try:
        return strictjson.loads(raw)
    except ValueError as exc:
        raise InvalidRequest(f"the body is not JSON: {exc}") from None


def read_json(request: Request) -> Any:
    """The request's body parsed as JSON (413 or 400 first when it cannot be read whole)."""
    return parse_json(body_bytes(request))
