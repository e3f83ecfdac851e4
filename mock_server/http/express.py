"""The express lane: the emulated API's busiest requests answered without Flask's machinery.

A call placed (`POST` to a placing path) or a status read (`GET /status/{id}`)
that meets nothing unusual is most of a load test, and Flask's request context,
URL routing, hooks and response objects cost several times what the emulator
itself does for it. This WSGI layer sits in front of the Flask app (as its
`wsgi_app`, so every WSGI server and the test client go through it) and answers
such requests itself, with the same domain, journal and bytes on the wire.

It takes a request only while it can be sure of the plain case, and hands
everything else to Flask untouched (with the body it read kept for Flask's one
reader): another method or path, a `Host` the guard would refuse, a body that is
not a JSON document of the right shape within the size limit by Content-Length,
a missing or refused token, an installed fault or a rate limit or WAITING cap.
Nothing is kept before that decision, so Flask answers those exactly as
before. Once the calls are being placed the lane answers whatever happens, in
the envelope, as the error handlers would (`bitel_mock.http.errors`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import ClientDisconnected
from werkzeug.http import HTTP_STATUS_CODES

from bitel_mock import strictjson
from bitel_mock.emulator import Emulator
from bitel_mock.errors import ApiError
from bitel_mock.http.body import BODY_KEY
from bitel_mock.http.endpoints import CALL_ENDPOINTS, Endpoint, to_call_request
from bitel_mock.http.errors import envelope_error_of
from bitel_mock.http.guard import IN_PROCESS_KEY, allowed_host, host_is_allowed
from bitel_mock.http.toolkit_control import Toolkit
from bitel_mock.http.toolkit_hooks import finish_entry, journal_entry
from bitel_mock.jsontext import dumps_bytes
from bitel_mock.settings import Settings
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.tokens import TokenCheck, token_fingerprint
from bitel_mock.toolkit.journal import received_body

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

STATUS_PREFIX = "/api/v2/voice/status/"
_OK = "200 OK"


class _Declined(Exception):
    """The request is not the plain case: Flask answers it."""


def _status_line(status: int) -> str:
    """The status line werkzeug's responses carry (`404 NOT FOUND`)."""
    return f"{status} {HTTP_STATUS_CODES.get(status, 'UNKNOWN').upper()}"


class ExpressLane:
    """WSGI: the plain placing and status requests answered here, the rest by `app`."""

    def __init__(
        self, app: WsgiApp, settings: Settings, emulator: Emulator, toolkit: Toolkit
    ) -> None:
        self.app = app
        self.emulator = emulator
        self.toolkit = toolkit
        self.tokens = TokenCheck(settings.tokens)
        self.shared_projects = settings.shared_projects
        self.max_body_bytes = settings.max_body_bytes
        self._checks_host = settings.admin_token is None
        self._allowed_hosts = frozenset(allowed_host(name) for name in settings.allowed_hosts)
        self._placing = {endpoint.path: (endpoint, endpoint.compile()) for endpoint in CALL_ENDPOINTS}

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO", "")
        try:
            if method == "POST" and path in self._placing:
                return self._place(environ, start_response, path)
            if method == "GET" and path.startswith(STATUS_PREFIX):
                return self._status(environ, start_response, path)
        except _Declined:
            pass
        return self.app(environ, start_response)

    # The plain case, checked before anything is kept.

    def _check_host(self, environ: dict[str, Any]) -> None:
        if (
            self._checks_host
            and not environ.get(IN_PROCESS_KEY)
            and not host_is_allowed(environ.get("HTTP_HOST"), self._allowed_hosts)
        ):
            raise _Declined

    def _token(self, environ: dict[str, Any]) -> str:
        try:
            return self.tokens.require(environ.get("HTTP_AUTHORIZATION"))
        except ApiError:
            raise _Declined from None

    def _body(self, environ: dict[str, Any]) -> bytes:
        """The whole body by its Content-Length (kept for Flask, which reads it only once)."""
        length_text = environ.get("CONTENT_LENGTH") or ""
        if not length_text.isdigit() or "HTTP_TRANSFER_ENCODING" in environ:
            raise _Declined
        length = int(length_text)
        if not 0 < length <= self.max_body_bytes:
            raise _Declined
        stream = environ["wsgi.input"]
        parts = []
        missing = length
        while missing:
            part = stream.read(missing)
            if not part:
                break
            parts.append(part)
            missing -= len(part)
        if missing:  # the client went away mid-body: Flask answers it as unreadable
            environ[BODY_KEY] = ClientDisconnected()
            raise _Declined
        raw = environ[BODY_KEY] = b"".join(parts)  # for Flask, should it answer
        return raw

    def _begin(self) -> None:
        """Date the request and pin the control plane; declined (and undone) when a fault or
        a rate limit may apply, or the store cannot be read."""
        self.emulator.first_request()
        try:
            self.emulator.begin_request()
        except StoreUnavailable:
            raise _Declined from None
        kit = self.toolkit
        try:  # in the order the toolkit's hooks read them: faults, then limits
            plain = not kit.faults.installed() and kit.limiter.config().is_off()
        except StoreUnavailable:
            plain = False
        if not plain:
            self.emulator.end_request()
            raise _Declined

    # The answers.

    def _place(
        self, environ: dict[str, Any], start_response: Callable[..., Any], path: str
    ) -> Iterable[bytes]:
        endpoint, validator = self._placing[path]
        self._check_host(environ)
        raw = self._body(environ)
        try:
            document = strictjson.loads(raw)
        except ValueError:
            raise _Declined from None
        token = self._token(environ)
        try:
            if not validator.is_valid(document):
                raise _Declined
        except (ValueError, OverflowError, TypeError):  # values jsonschema_rs cannot hold
            raise _Declined from None
        self._begin()
        try:
            entry = journal_entry(
                self.toolkit, environ, "POST", path, received_body(raw, lambda _: document), token
            )
            return self._placed(start_response, endpoint, document, token, entry)
        finally:
            self.emulator.end_request()

    def _placed(
        self,
        start_response: Callable[..., Any],
        endpoint: Endpoint,
        document: dict[str, Any],
        token: str,
        entry: dict[str, Any],
    ) -> list[bytes]:
        calls = self.emulator.calls
        finish_entry(entry, 200, None, [])  # as kept with the calls, which it then names
        keeper = self.toolkit.journal.kept_with_calls(entry)
        try:
            placed = calls.place(to_call_request(endpoint, document, token_fingerprint(token)), keeper)
            records = calls.wire_records(placed)
        except Exception as exc:
            return self._error(start_response, exc, entry, "POST", endpoint.path, kept=keeper.kept)
        if not keeper.kept:
            finish_entry(entry, 200, None, list(placed.ids))
            self._journal(entry)
        return _answer(start_response, _OK, {"result": records if endpoint.many else records[0], "error": None})

    def _status(
        self, environ: dict[str, Any], start_response: Callable[..., Any], path: str
    ) -> Iterable[bytes]:
        call_id = path[len(STATUS_PREFIX):]
        if not call_id or "/" in call_id or not call_id.isascii():
            raise _Declined
        if environ.get("CONTENT_LENGTH") not in (None, "", "0") or "HTTP_TRANSFER_ENCODING" in environ:
            raise _Declined
        self._check_host(environ)
        token = self._token(environ)
        viewer = None if self.shared_projects else token_fingerprint(token)
        calls = self.emulator.calls
        # A malformed or unknown id is NotFound: Flask answers it (nothing was kept).
        if calls.ids.decode(call_id) is None:
            raise _Declined
        self._begin()
        try:
            entry = journal_entry(self.toolkit, environ, "GET", path, received_body(b""), token)
            try:
                record = calls.status(call_id, viewer).to_wire()
            except Exception as exc:
                return self._error(start_response, exc, entry, "GET", path)
            finish_entry(entry, 200, None, [])
            self._journal(entry)
            return _answer(start_response, _OK, {"result": record, "error": None})
        finally:
            self.emulator.end_request()

    def _error(
        self,
        start_response: Callable[..., Any],
        exc: Exception,
        entry: dict[str, Any],
        method: str,
        path: str,
        *,
        kept: bool = False,
    ) -> list[bytes]:
        """The error's envelope, journaled (unless the entry was `kept` with the calls)."""
        status, code, headers = envelope_error_of(exc, method, path)
        if not kept:
            finish_entry(entry, status, code, [])
            self._journal(entry)
        return _answer(start_response, _status_line(status), {"result": None, "error": code}, headers)

    def _journal(self, entry: dict[str, Any]) -> None:
        with contextlib.suppress(StoreUnavailable):  # the journal fails open
            self.toolkit.journal.record(entry)


def _answer(
    start_response: Callable[..., Any],
    status: str,
    payload: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> list[bytes]:
    body = dumps_bytes(payload)
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            *(headers or {}).items(),
        ],
    )
    return [body]
