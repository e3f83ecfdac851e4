"""A real emulator on a loopback socket, served from a daemon thread (for tests needing a socket).

    with ThreadedServer(create_app()) as server:
        requests.get(server.url + "/__admin/health")

Port 0 picks a free port; `url` tells which. `start()` returns once the
server accepts connections; `stop()` shuts it down and joins the thread.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

__all__ = ["ThreadedServer"]

_SHUTDOWN_POLL_SECONDS = 0.05
"""How often the serving loop checks for `stop()`: the most `stop()` waits."""


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


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
            self.host, self.port, self.app, threaded=True, request_handler=_QuietHandler
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
