"""Where the toolkit meets Flask: every request outside /__admin is journaled, may meet a
fault, and is rate limited, before and after the emulated API's own routes run."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask, Request, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from bitel_mock.emulator import EXTENSION_KEY
from bitel_mock.http import envelope
from bitel_mock.http.body import body_bytes
from bitel_mock.http.endpoints import CALL_ENDPOINTS
from bitel_mock.http.paths import is_admin_path
from bitel_mock.http.request_json import json_or_none
from bitel_mock.http.toolkit_control import Toolkit
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.tokens import bearer_token, mask_token, token_fingerprint
from bitel_mock.toolkit.faults import Firing, RequestFacts
from bitel_mock.toolkit.journal import (
    NO_BODY,
    ReceivedBody,
    masked_headers,
    received_body,
    unread_body,
)
from bitel_mock.toolkit.wire import DELAY_HEADER, DROP_HEADER, DROP_VALUE

TOOLKIT_KEY = "bitel_mock_toolkit"
TOO_MANY_REQUESTS = "TooManyRequests"
DROPPED_STATUS = 502
"""Status of the marker response (never seen over a socket, where the connection just closes)."""
_PLACING_PATHS = frozenset(endpoint.path for endpoint in CALL_ENDPOINTS)
_SERVER_SOCKETS = ("werkzeug.socket", "gunicorn.socket")
_PENDING = "bitel_mock_pending"


@dataclass
class _Pending:
    """What `_before` learnt about a request, for `_after`."""

    entry: dict[str, Any]
    token: str | None
    placing: bool
    delay: float = 0.0
    dropped: bool = False


def toolkit() -> Toolkit:
    """The toolkit of the current app."""
    return current_app.extensions[TOOLKIT_KEY]


def _read_body(req: Request) -> ReceivedBody:
    length = req.content_length
    if not length and "chunked" not in req.headers.get("Transfer-Encoding", "").lower():
        return NO_BODY
    try:
        raw = body_bytes(req)
    except HTTPException:  # over the size limit, or unreadable: the route answers 413 or 400
        return unread_body(length)
    return received_body(raw, lambda body: json_or_none(req, body))


_BODY_HEADERS = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH"})
_HTTP_BODY_HEADERS = frozenset({"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"})


def _headers(environ: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The request's headers, named and ordered as werkzeug's `request.headers` gives them,
    read from the environ without its per-header lookups."""
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            if key not in _HTTP_BODY_HEADERS:
                yield key[5:].replace("_", "-").title(), value
        elif key in _BODY_HEADERS and value:
            yield key.replace("_", "-").title(), value


def _server_socket(req: Request) -> socket.socket | None:
    """The client's connection under werkzeug's server or gunicorn; None in process."""
    for key in _SERVER_SOCKETS:
        sock = req.environ.get(key)
        if isinstance(sock, socket.socket):
            return sock
    return None


def _drop_connection(req: Request, pending: _Pending) -> Response:
    """Close the client's connection without a word; without a socket, answer the marker."""
    pending.dropped = True
    sock = _server_socket(req)
    if sock is None:
        return Response(b"", status=DROPPED_STATUS, headers={DROP_HEADER: DROP_VALUE})
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    return Response(b"", status=DROPPED_STATUS)


def _malformed(firing: Firing) -> Response:
    kind = firing.fault["body"]
    if kind == "truncated":
        whole = '{"result":{"id":"5f0c4f3bd7a44f0b9a1a6c2b1e9d3f7a","phoneNumber":"0912'
        return Response(whole, status=firing.fault["status"], mimetype="application/json")
    if kind == "not-json":
        page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
        return Response(page, status=firing.fault["status"], mimetype="text/html")
    return Response(b"", status=firing.fault["status"], mimetype="application/json")


def _answer_fault(req: Request, firing: Firing, pending: _Pending) -> Response | None:
    """The response a fault replaces the route's with, or None for a delay (answered later)."""
    if firing.kind == "status":
        return envelope.error(firing.fault["error"], firing.fault["status"])
    if firing.kind == "drop":
        return _drop_connection(req, pending)
    if firing.kind == "malformed":
        return _malformed(firing)
    pending.delay = firing.delay
    return None


def journal_entry(
    kit: Toolkit,
    environ: dict[str, Any],
    method: str,
    path: str,
    received: ReceivedBody,
    token: str | None,
) -> dict[str, Any]:
    """A request's journal entry as known before it is answered (`finish_entry` after)."""
    return {
        "time": kit.emulator.clock.now(),
        "method": method,
        "path": path,
        "query": environ.get("QUERY_STRING") or None,
        "headers": masked_headers(_headers(environ)),
        "token": mask_token(token) if token else None,
        "project": token_fingerprint(token) if token else None,
        **received.fields,
        "fault": None,
    }


def finish_entry(
    entry: dict[str, Any], status: int | None, error: str | None, call_ids: list[str]
) -> None:
    """Complete a journal entry with its answer."""
    entry.update(status=status, error=error, callIds=call_ids)


def _before_request(kit: Toolkit, req: Request) -> Response | None:
    path, method = req.path, req.method
    if is_admin_path(path):
        return None
    received = _read_body(req)
    environ = req.environ
    token = bearer_token(environ.get("HTTP_AUTHORIZATION"))
    numbers = received.numbers
    entry = journal_entry(kit, environ, method, path, received, token)
    pending = _Pending(entry, token, placing=method == "POST" and path in _PLACING_PATHS)
    setattr(g, _PENDING, pending)
    firing = kit.faults.fire(RequestFacts(method, path, numbers, token)) if kit.faults.installed() else None
    if firing is not None:
        entry["fault"] = {"id": firing.id, "kind": firing.kind}
        answer = _answer_fault(req, firing, pending)
        if answer is not None:
            return answer
    if token is not None:
        refusal = kit.limiter.check(token, len(numbers) if pending.placing else 0)
        if refusal is not None:
            entry["limited"] = refusal.reason
            return envelope.error(TOO_MANY_REQUESTS, 429, {"Retry-After": str(refusal.retry_after)})
    return None


def _placed_ids(answer: dict[str, Any] | None) -> list[str]:
    result = (answer or {}).get("result")
    records = result if isinstance(result, list) else [result]
    return [r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)]


def _response_json(response: Response) -> dict[str, Any] | None:
    if response.is_streamed or response.mimetype != envelope.JSON_MIMETYPE:
        return None
    try:
        data = json.loads(response.get_data())
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _after_request(kit: Toolkit, req: Request, response: Response) -> Response:
    pending: _Pending | None = g.pop(_PENDING, None)
    if pending is None:
        return response
    status = response.status_code
    placed = not pending.dropped and pending.placing and status == 200
    # The routes say what they answered (envelope.PLACED_IDS, ERROR_CODE); only answers
    # that did not (a fault's, say) are parsed for their error code or placed ids.
    told_ids = g.get(envelope.PLACED_IDS)
    told_error = g.get(envelope.ERROR_CODE)
    if pending.dropped or (told_ids is not None and placed) or (told_error is not None and status >= 400):
        answer = None
    else:
        answer = _response_json(response) if placed or status >= 400 else None
    call_ids = (told_ids if told_ids is not None else _placed_ids(answer)) if placed else []
    if pending.token is not None and call_ids:
        # After the answer is decided: a store in trouble (logged by the store) must not turn
        # calls already kept into an error; the same for the journal below.
        with contextlib.suppress(StoreUnavailable):
            kit.limiter.placed(pending.token, call_ids)
    error = answer.get("error") if answer else (told_error if status >= 400 else None)
    finish_entry(
        pending.entry,
        None if pending.dropped else status,
        error if isinstance(error, str) else None,
        call_ids,
    )
    with contextlib.suppress(StoreUnavailable):
        kit.journal.record(pending.entry)
    if pending.delay > 0:
        if _server_socket(req) is not None:
            time.sleep(pending.delay)  # a real delay: the client's read timeout is real
        else:
            response.headers[DELAY_HEADER] = f"{pending.delay:.3f}"
    return response


def install_toolkit(app: Flask) -> Toolkit:
    """Give the app its toolkit: the hooks around every request, and its reset."""
    emulator = app.extensions[EXTENSION_KEY]
    kit = Toolkit(emulator)
    app.extensions[TOOLKIT_KEY] = kit
    emulator.on_reset(kit.reset)

    def _before() -> Response | None:
        return _before_request(kit, request._get_current_object())  # type: ignore[attr-defined]

    def _after(response: Response) -> Response:
        return _after_request(kit, request._get_current_object(), response)  # type: ignore[attr-defined]

    app.before_request(_before)
    app.after_request(_after)
    return kit
