"""Running a built app under gunicorn on a socket that is already listening.

The socket is bound before gunicorn starts, so a port in use is reported in
one line and `--port 0` resolves to a real port that can be printed. The app
is built once in the master and forked into every worker; the store opens
its own connections in each worker. SIGTERM stops gracefully (in-flight
requests finish, up to `graceful_timeout`), SIGINT stops at once.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from gunicorn.app.base import BaseApplication

GRACEFUL_TIMEOUT_SECONDS = 30


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


def run_gunicorn(app: Any, listener: socket.socket, *, workers: int) -> None:
    """Serve `app` on `listener` with `workers` sync worker processes until stopped."""
    _EmbeddedGunicorn(
        app,
        {
            "bind": [f"fd://{listener.fileno()}"],
            "workers": workers,
            "worker_class": "sync",
            "graceful_timeout": GRACEFUL_TIMEOUT_SECONDS,
            "loglevel": "warning",
            "accesslog": None,
            "proc_name": "bitel-mock",
            # Workers touch a heartbeat file on every request: keep it in memory where possible.
            "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
        },
    ).run()
