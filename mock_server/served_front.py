"""The WSGI layer between granian and the emulator's app when `bitel-mock serve` runs it.

granian hands the app no socket, so the app answers faults as it does in process
(`bitel_mock.toolkit.wire`); this layer makes them real on the wire:

- a "drop" answer (`DROP_HEADER`) becomes a connection closed without a byte: the
  answer goes out as a stream whose Content-Length is not a number, which granian's
  HTTP layer (hyper) refuses to encode, so it closes the connection having written
  nothing. A plain empty answer would not do: hyper sends its head first.
- a "delay" answer (`DELAY_HEADER`) is held back that long, then sent without the header.

It also answers, in the envelope, request heads over the emulator's own limits
(granian's are far larger, and its answers empty): a request target longer than
`MAX_TARGET_CHARS` is 414 `UriTooLong`, a header longer than `MAX_HEADER_CHARS` is 431
`RequestHeaderFieldsTooLarge`. granian copies its process environment into every
request's environ: `scrub_environment` removes the variables that would pass for
request data (`HTTP_*`, `CONTENT_TYPE`, names with a dot such as the in-process mark).
granian gives a request without `Host` (HTTP/1.0) an empty `HTTP_HOST`: it is removed,
so the request guard sees a request without `Host`, as under any other server.
Anything the app raises past Flask is logged and answered as a 500 `InternalError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from http import HTTPStatus
from typing import Any

from bitel_mock.errors import code_for_status
from bitel_mock.jsontext import dumps_bytes
from bitel_mock.toolkit.wire import DELAY_HEADER, DROP_HEADER, DROP_VALUE

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MAX_TARGET_CHARS = 4094
"""Longest request target (path, `?` and query, as granian decodes the path) answered."""
MAX_HEADER_CHARS = 8190
"""Longest header (name, `: ` and value) answered."""
NOT_A_LENGTH = "dropped"
"""The Content-Length that makes granian close the connection without answering."""

_CODES = {400: "InvalidRequest", 500: "InternalError"}
"""The app's own codes for these statuses (the others are named after their reason)."""
_REASONS = {414: "URI Too Long"}
"""RFC 9110 reasons where Python's differ."""
_REQUEST_LOOKING = ("CONTENT_TYPE", "CONTENT_LENGTH")

logger = logging.getLogger("bitel_mock.serving")


def status_line(status: int) -> str:
    """`414 URI Too Long`: the status and its reason, for `start_response`."""
    try:
        reason = _REASONS.get(status) or HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    return f"{status} {reason}"


def error_body(status: int) -> bytes:
    """The envelope for an error the serving layer answers itself."""
    code = _CODES.get(status) or code_for_status(status, status_line(status).split(" ", 1)[1])
    return dumps_bytes({"result": None, "error": code})


def head_refusal(environ: dict[str, Any]) -> int | None:
    """414 or 431 when the request's head is over a limit, else None."""
    target = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 1
    if target > MAX_TARGET_CHARS:
        return 414
    for key, value in environ.items():
        # HTTP_X_NAME stands for "X-Name: value": 5 characters of prefix, 2 of separator.
        if (
            key.startswith("HTTP_")
            and isinstance(value, str)
            and len(key) - 3 + len(value) > MAX_HEADER_CHARS
        ):
            return 431
    return None


def scrub_environment(environment: MutableMapping[str, str]) -> None:
    """Remove the variables that granian would pass off as request data in every environ."""
    for name in list(environment):
        if name.startswith("HTTP_") or name in _REQUEST_LOOKING or "." in name:
            del environment[name]


def _nothing() -> Iterator[bytes]:
    """An answer body streamed with no chunk (a generator, so granian does not buffer it)."""
    yield from ()


def _close(body: Iterable[bytes]) -> None:
    close = getattr(body, "close", None)
    if close is not None:
        close()


class ServedFront:
    """Wraps the emulator's WSGI app for granian (see the module's docstring)."""

    def __init__(self, app: WsgiApp, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.app = app
        self._sleep = sleep

    def _answer(self, start_response: Callable[..., Any], status: int) -> list[bytes]:
        body = error_body(status)
        start_response(
            status_line(status),
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("HTTP_HOST") == "":
            del environ["HTTP_HOST"]
        refused = head_refusal(environ)
        if refused is not None:
            return self._answer(start_response, refused)
        started: list[tuple[str, list[tuple[str, str]], Any]] = []

        def keep(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            started[:] = [(status, headers, exc_info)]
            return _no_write

        try:
            body = self.app(environ, keep)
        except Exception:
            logger.exception(
                "unexpected error while serving %s %s",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
            )
            return self._answer(start_response, 500)
        if not started:  # Flask starts the response before returning its body
            _close(body)
            logger.error("the app returned without starting a response")
            return self._answer(start_response, 500)
        status, headers, exc_info = started[0]
        names = {name.lower(): value for name, value in headers}
        if names.get(DROP_HEADER.lower()) == DROP_VALUE:
            _close(body)
            start_response("502 Bad Gateway", [("Content-Length", NOT_A_LENGTH)])
            return _nothing()
        delay = names.get(DELAY_HEADER.lower())
        if delay is not None:
            headers = [
                (name, value) for name, value in headers if name.lower() != DELAY_HEADER.lower()
            ]
            self._sleep(float(delay))  # a real delay: the client's read timeout is real
        start_response(status, headers, exc_info)
        return body


def _no_write(data: bytes) -> None:
    raise RuntimeError("the emulator never uses the WSGI write() callable")
