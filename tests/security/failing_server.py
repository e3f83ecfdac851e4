"""A served emulator with one route that fails unexpectedly, to see what reaches the log.

    python -m tests.security.failing_server

No request from outside can make the emulator fail on purpose; this route
stands in for any bug, so the emulator's own "unexpected error" log line, with
the request's path in it, is written by the real serving code.
"""

from __future__ import annotations

import socket

from flask import Flask, request

from bitel_mock.app import create_app
from bitel_mock.serving import run_granian
from bitel_mock.settings import Settings

FAILING_PREFIX = "/api/v2/fails/"


def failing_app() -> Flask:
    app = create_app(Settings(seed=1))

    @app.before_request
    def fail() -> None:
        if request.path.startswith(FAILING_PREFIX):
            raise RuntimeError("failing on purpose\r\nfor " + request.path)

    return app


def main() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    run_granian(
        failing_app,
        listener,
        workers=1,
        threads=4,
        announce=lambda: print(f"listening on http://127.0.0.1:{port}", flush=True),
    )


if __name__ == "__main__":
    main()
