"""Running a built app under gunicorn on a socket that is already listening.

The socket is bound before gunicorn starts, so a port in use is reported in
one line and `--port 0` resolves to a real port that can be printed. The app
is built once in the master and forked into every worker; the store opens
its own connections in each worker. SIGTERM stops gracefully (in-flight
requests finish, up to `graceful_timeout`), SIGINT stops at once.

gunicorn answers some requests itself, before the app sees them (a malformed
request line 400, a request line too long 414, headers too large 431): here
those answers are the envelope `{"result": null, "error": CODE}` too, never
gunicorn's HTML page. Its log, and the emulator's own (`bitel_mock`), write
one line per record with control characters escaped (`bitel_mock.logtext`).
"""

from __future__ import annotations

import logging
import os
import socket
from http import HTTPStatus
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger
from gunicorn.workers.sync import SyncWorker

from bitel_mock.errors import code_for_status
from bitel_mock.jsontext import dumps_bytes
from bitel_mock.logtext import escape_handlers

GRACEFUL_TIMEOUT_SECONDS = 30
APP_LOGGER = "bitel_mock"

_CODES = {400: "InvalidRequest", 500: "InternalError"}
"""The app's own codes for these statuses (the others are named after their reason)."""
_REASONS = {414: "URI Too Long"}
"""RFC 9110 reasons where Python's differ."""


def http_layer_error(status: int) -> bytes:
    """The whole response gunicorn sends for an error of its own: status line, headers, envelope."""
    try:
        reason = _REASONS.get(status) or HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    code = _CODES.get(status) or code_for_status(status, reason)
    body = dumps_bytes({"result": None, "error": code})
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + body


def _status_of(answer: bytes) -> int | None:
    """The status of a response gunicorn wrote (`HTTP/1.1 414 ...`), or None."""
    fields = answer.split(b"\r\n", 1)[0].split(b" ", 2)
    if len(fields) >= 2 and fields[1].isdigit():
        return int(fields[1])
    return None


class _KeptAnswer:
    """Stands in for the client's socket while gunicorn writes its error page, keeping the bytes."""

    def __init__(self, client: socket.socket) -> None:
        self._client = client
        self.written = bytearray()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def gettimeout(self) -> float:
        return 0.0  # gunicorn then writes at once, without touching blocking mode

    def sendall(self, data: bytes) -> None:
        self.written += data


class JsonErrorWorker(SyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker, whose own error answers are the JSON envelope.

    gunicorn still decides the status (and logs the error); only the page it
    would write is replaced, with the same status.
    """

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        kept = _KeptAnswer(client)
        super().handle_error(req, kept, addr, exc)
        status = _status_of(bytes(kept.written))
        if status is None:
            return
        try:
            util.write_nonblock(client, http_layer_error(status))
        except Exception:  # the client went away: nothing to answer
            self.log.debug("Failed to send error message.")


class EscapingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, one line per record; the emulator's own records go through it too."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        escape_handlers(self.error_log.handlers + self.access_log.handlers)
        app_log = logging.getLogger(APP_LOGGER)
        for handler in list(app_log.handlers):
            if getattr(handler, "_gunicorn", False):
                app_log.removeHandler(handler)
        for handler in self.error_log.handlers:
            app_log.addHandler(handler)
        app_log.propagate = False


class _EmbeddedGunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        return self._app


def gunicorn_options(listener: socket.socket, *, workers: int) -> dict[str, Any]:
    """gunicorn's settings for serving on `listener` with `workers` worker processes."""
    return {
        "bind": [f"fd://{listener.fileno()}"],
        "workers": workers,
        "worker_class": JsonErrorWorker,
        "logger_class": EscapingLogger,
        "graceful_timeout": GRACEFUL_TIMEOUT_SECONDS,
        "loglevel": "warning",
        "accesslog": None,
        "proc_name": "bitel-mock",
        # Workers touch a heartbeat file on every request: keep it in memory where possible.
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }


def run_gunicorn(app: Any, listener: socket.socket, *, workers: int) -> None:
    """Serve `app` on `listener` with `workers` sync worker processes until stopped."""
    _EmbeddedGunicorn(app, gunicorn_options(listener, workers=workers)).run()
