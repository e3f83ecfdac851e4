"""A real emulator on a loopback socket, served from a daemon thread (for tests needing a socket).

    with ThreadedServer(create_app()) as server:
        requests.get(server.url + "/__admin/health")

Port 0 picks a free port; `url` tells which. `start()` returns once the
server accepts connections; `stop()` shuts it down and joins the thread.

The server answers some requests itself, before the app sees them (a
malformed request line or header 400, a request line too long 414, headers
too large 431, HTTP/2 505): those answers are the envelope
`{"result": null, "error": CODE}` with the same codes as `bitel-mock serve`,
never http.server's HTML page.
"""

from __future__ import annotations

import threading
from http import HTTPStatus
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bitel_mock.errors import code_for_status
from bitel_mock.jsontext import dumps_bytes

__all__ = ["ThreadedServer", "server_error_code"]

_SHUTDOWN_POLL_SECONDS = 0.05
"""How often the serving loop checks for `stop()`: the most `stop()` waits."""

_CODES = {400: "InvalidRequest", 500: "InternalError"}
"""The app's own codes for these statuses (the others are named after their reason)."""
_REASONS = {414: "URI Too Long"}
"""RFC 9110 reasons where Python's differ."""


def _reason(status: int) -> str:
    try:
        return _REASONS.get(status) or HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def server_error_code(status: int) -> str:
    """The envelope's code for a status the server answers itself: 400 -> InvalidRequest,
    414 -> UriTooLong, 431 -> RequestHeaderFieldsTooLarge."""
    return _CODES.get(status) or code_for_status(status, _reason(status))


class _QuietJsonHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request, its own errors in the envelope."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer an error found before the app ran, keeping its status.

        The status line carries the standard reason, not `message`: http.server puts parts of
        the request there. `message` is only logged.
        """
        status = int(code)
        self.log_error("code %d, message %s", status, message or _reason(status))
        if self.request_version == "HTTP/0.9":
            # http.server writes no status line nor headers to HTTP/0.9, which is also what it
            # assumes of a request line it could not read: the status must reach the client.
            self.request_version = self.protocol_version
        self.send_response(status, _reason(status))
        self.send_header("Connection", "close")
        body = dumps_bytes({"result": None, "error": server_error_code(status)})
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class ThreadedServer:
    """A werkzeug server running `app` in a daemon thread."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        """`http://HOST:PORT` of the running server."""
        if self._server is None:
            raise RuntimeError("the server is not running; call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._server.server_port}"

    def start(self) -> ThreadedServer:
        """Bind, start serving in a daemon thread, and return once it is ready."""
        if self._server is not None:
            raise RuntimeError("the server is already running")
        # Binding happens here, in the caller's thread: a taken port raises at once.
        self._server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=_QuietJsonHandler
        )
        self._ready.clear()
        self._thread = threading.Thread(
            target=self._serve, name=f"bitel-mock:{self.url}", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        return self

    def _serve(self) -> None:
        assert self._server is not None
        self._ready.set()
        self._server.serve_forever(poll_interval=_SHUTDOWN_POLL_SECONDS)

    def stop(self) -> None:
        """Stop serving, close the socket and join the thread (does nothing if not running)."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
