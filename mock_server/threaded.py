"""A real emulator server on a loopback port in a daemon thread, for tests that need a socket.

    with ThreadedServer(create_app()) as server:
        requests.get(server.url + "/__admin/health")
"""

from __future__ import annotations

import threading
from types import TracebackType

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


class ThreadedServer:
    """Serves `app` on `host:port` (0 picks a free port) until `stop()`."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._server.server_port}"

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = make_server(self.host, self.port, self.app, threaded=True)
        ready = threading.Event()

        def run() -> None:
            ready.set()
            self._server.serve_forever(poll_interval=0.05)  # type: ignore[union-attr]

        self._thread = threading.Thread(target=run, name="bitel-mock-server", daemon=True)
        self._thread.start()
        ready.wait()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> ThreadedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
