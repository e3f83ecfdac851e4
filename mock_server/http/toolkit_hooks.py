"""Where the toolkit meets Flask: every request outside /__admin is journaled, may meet a
fault, and is rate limited, before and after the emulated API's own routes run."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from mock_server.http import envelope
from mock_server.http.auth import bearer_token
from mock_server.http.endpoints import CALL_ENDPOINTS
from mock_server.http.errors import ADMIN_PREFIX
from mock_server.toolkit.control import Toolkit
from mock_server.toolkit.faults import Firing, RequestFacts
from mock_server.toolkit.journal import mask_token, masked_headers, parsed_body, phone_numbers_of
from mock_server.toolkit.wire import DELAY_HEADER, DROP_HEADER, DROP_VALUE

TOOLKIT_KEY = "bitel_mock_toolkit"
TOO_MANY_REQUESTS = "TooManyRequests"
DROPPED_STATUS = 502
"""Status of the marker response (never seen over a socket, where the connection just closes)."""
_PLACING_PATHS = frozenset(endpoint.path for endpoint in CALL_ENDPOINTS)
_SERVER_SOCKETS = ("werkzeug.socket", "gunicorn.socket")


def toolkit() -> Toolkit:
    """The toolkit of the current app."""
    return current_app.extensions[TOOLKIT_KEY]


def _is_admin() -> bool:
    return request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/")


def _read_body() -> tuple[Any, str | None]:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        return None, None  # the route answers 413; nothing is read
    try:
        return parsed_body(request.get_data(cache=True))
    except RequestEntityTooLarge:
        return None, None


def _server_socket() -> socket.socket | None:
    """The client's connection under werkzeug's server or gunicorn; None in process."""
    for key in _SERVER_SOCKETS:
        sock = request.environ.get(key)
        if isinstance(sock, socket.socket):
            return sock
    return None


def _drop_connection() -> Response:
    """Close the client's connection without a word; without a socket, answer the marker."""
    g.bitel_dropped = True
    sock = _server_socket()
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


def _answer_fault(firing: Firing) -> Response | None:
    """The response a fault replaces the route's with, or None for a delay (answered later)."""
    if firing.kind == "status":
        return envelope.error(firing.fault["error"], firing.fault["status"])
    if firing.kind == "drop":
        return _drop_connection()
    if firing.kind == "malformed":
        return _malformed(firing)
    g.bitel_delay = firing.delay
    return None


def _before() -> Response | None:
    if _is_admin():
        return None
    kit = toolkit()
    body, text = _read_body()
    token = bearer_token(request.headers.get("Authorization"))
    g.bitel_entry = {
        "time": kit.emulator.clock.now(),
        "method": request.method,
        "path": request.path,
        "query": request.query_string.decode("latin-1") or None,
        "headers": masked_headers(request.headers.items()),
        "token": mask_token(token) if token else None,
        "body": body,
        "bodyText": text,
        "phoneNumbers": phone_numbers_of(body),
    }
    g.bitel_token = token
    firing = kit.faults.fire(
        RequestFacts(request.method, request.path, g.bitel_entry["phoneNumbers"], token)
    )
    if firing is not None:
        g.bitel_entry["fault"] = {"id": firing.id, "kind": firing.kind}
        answer = _answer_fault(firing)
        if answer is not None:
            return answer
    if token is not None:
        placing = (
            len(g.bitel_entry["phoneNumbers"])
            if request.method == "POST" and request.path in _PLACING_PATHS
            else 0
        )
        refusal = kit.limiter.check(token, placing)
        if refusal is not None:
            g.bitel_entry["limited"] = refusal.reason
            return envelope.error(
                TOO_MANY_REQUESTS, 429, {"Retry-After": str(refusal.retry_after)}
            )
    return None


def _is_placing(response: Response) -> bool:
    return request.method == "POST" and request.path in _PLACING_PATHS and response.status_code == 200


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


def _after(response: Response) -> Response:
    entry = g.pop("bitel_entry", None)
    if entry is None:
        return response
    kit = toolkit()
    dropped = g.pop("bitel_dropped", False)
    placing = not dropped and _is_placing(response)
    # Only answers worth reading are parsed: errors (for their code) and placed calls (ids).
    answer = _response_json(response) if placing or response.status_code >= 400 else None
    call_ids = _placed_ids(answer) if placing else []
    token = g.pop("bitel_token", None)
    if token is not None and call_ids:
        kit.limiter.placed(token, call_ids)
    error = answer.get("error") if answer and not dropped else None
    entry.update(
        status=None if dropped else response.status_code,
        error=error if isinstance(error, str) else None,
        callIds=call_ids,
    )
    entry.setdefault("fault", None)
    kit.journal.record(entry)
    delay = g.pop("bitel_delay", 0.0)
    if delay > 0:
        if _server_socket() is not None:
            time.sleep(delay)  # a real delay: the client's read timeout is real
        else:
            response.headers[DELAY_HEADER] = f"{delay:.3f}"
    return response


def install_toolkit(app: Flask) -> Toolkit:
    """Give the app its toolkit: the hooks around every request, and its reset."""
    emulator = app.extensions["bitel_mock"]
    kit = Toolkit(emulator)
    app.extensions[TOOLKIT_KEY] = kit
    emulator.on_reset(kit.reset)
    app.before_request(_before)
    app.after_request(_after)
    return kit
