"""Running the emulator under granian on an address checked beforehand.

The address is bound before granian starts, so a port in use is reported in one
line and `--port 0` resolves to a real port that can be printed. On Linux each
worker then listens on a socket of its own (SO_REUSEPORT), as granian does by
default, and the kernel spreads new connections over the workers: with one
shared socket, a burst of keep-alive connections (a load test's) was taken by
whichever worker woke first, measured as all 32 on one worker half of the time,
which then ran them on one core while the other idled. While the workers run,
the master holds the address with a socket that does not listen (so nothing
else takes it), and the start-up lines are printed once a worker answers.
Elsewhere the workers share the socket bound first. Each worker process builds
its own app by calling `load_app` after the fork, wrapped in `ServedFront`.

granian reads and parses each request's head in Rust before a Python thread
sees it, so clients that send their headers slowly hold no worker. Each worker
runs the app on `threads` threads (`--threads`): a request whose body is slow,
or a delay fault, holds one thread, not the worker.

SIGTERM stops gracefully: no new connection is taken, requests in flight are
answered, and a worker still busy after `GRACEFUL_TIMEOUT_SECONDS` is killed.
SIGINT (Ctrl-C) stops at once. A worker that dies is started again.

granian answers some requests itself, before the app sees them, with an empty
body (`content-length: 0`, `connection: close`, no content type): a malformed
request 400, a head over `HEAD_BUFFER_BYTES` (checked between reads: a little
more may pass) or with more than 100 headers 431, a request target of 65,535
bytes or more 414. It cannot be told to answer otherwise. Smaller heads over
the emulator's own limits (a target over 4094 characters, a header over 8190)
reach `ServedFront`, which answers them in the envelope.
"""

from __future__ import annotations

import encodings.idna  # noqa: F401  (loaded before any fork: see `PreboundGranian`)
import http.client
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server import MPServer

from bitel_mock import serving_log
from bitel_mock.early_stop import EarlyStops
from bitel_mock.served_front import ServedFront, WsgiApp, scrub_environment

GRACEFUL_TIMEOUT_SECONDS = 30
BACKLOG = 1024
HEAD_BUFFER_BYTES = 64 * 1024 + 8192
"""The most a request head may take (granian's buffer): a target of 64 KiB and some headers."""
PROCESS_NAME = "bitel-mock"
ANNOUNCE_PATIENCE_SECONDS = 30
"""How long the start-up lines wait for a worker to answer (then they are printed anyway)."""
PROBE_TIMEOUT_SECONDS = 1.0
HEALTH_PATH = "/__admin/health"

try:  # granian names its processes only when setproctitle is installed
    import setproctitle  # noqa: F401

    _NAMES_PROCESSES = True
except ImportError:
    _NAMES_PROCESSES = False

_early_stops = EarlyStops()
"""In a worker: stop signals received before it listened for them (`bitel_mock.early_stop`)."""


def granian_options(*, workers: int, threads: int, host: str, port: int) -> dict[str, Any]:
    """granian's settings for serving `workers` worker processes on an address bound beforehand."""
    return {
        "address": host,
        "port": port,
        "interface": Interfaces.WSGI,
        "workers": workers,
        "blocking_threads": threads,
        "backlog": BACKLOG,
        "http": HTTPModes.http1,
        "http1_settings": HTTP1Settings(max_buffer_size=HEAD_BUFFER_BYTES),
        "websockets": False,
        "log_enabled": True,
        "log_level": LogLevels.warning,
        "log_dictconfig": serving_log.log_config(),
        "log_access": False,
        "respawn_failed_workers": True,
        "workers_kill_timeout": GRACEFUL_TIMEOUT_SECONDS,
        "process_name": PROCESS_NAME if _NAMES_PROCESSES else None,
    }


def _holder_for(fd: int, backlog: int) -> Any:
    """granian's handle on a listening socket it did not bind (its signature varies by system)."""
    from granian._granian import SocketHolder

    if sys.platform.startswith(("linux", "freebsd")):
        return SocketHolder(fd, False, backlog)
    return SocketHolder(fd, False)


class PreboundGranian(MPServer):  # type: ignore[misc]
    """granian's multi-process server, serving a socket already listening (its descriptor), or
    (`fd` None) a socket of each worker's own on the address."""

    def __init__(
        self, fd: int | None, *, after_spawn: Callable[[], Any] | None = None, **options: Any
    ) -> None:
        self._prebound_fd = fd
        self._after_spawn = after_spawn
        super().__init__("bitel_mock", **options)

    def _spawn_workers(self, spawn_target: Any, target_loader: Any) -> None:
        # A thread of the master that runs while a worker is forked can leave a lock held in
        # the worker for ever (measured: an import lock, every request of the worker stuck),
        # so the master starts its one thread only once the first workers are forked.
        super()._spawn_workers(spawn_target, target_loader)
        after, self._after_spawn = self._after_spawn, None
        if after is not None:
            after()

    def _init_shared_socket(self) -> None:
        if self._prebound_fd is None:
            super()._init_shared_socket()
            return
        self._ssp = None
        self._shd = _holder_for(self._prebound_fd, self.backlog)
        self._sfd = self._prebound_fd
        self._sso = socket.socket(fileno=self._prebound_fd)  # closed by granian at shutdown
        self._sso.set_inheritable(True)

    def signal_handler_interrupt(
        self, signum: int | None = None, *args: Any, **kwargs: Any
    ) -> None:
        if os.getpid() != self.pid:  # a starting worker, which inherited the master's handler
            _early_stops.keep(signum or signal.SIGTERM)
            return
        if signum == signal.SIGINT:
            self.workers_kill_timeout = 0.01  # Ctrl-C: no waiting for requests in flight
        super().signal_handler_interrupt(signum, *args, **kwargs)


def _served(load_app: Callable[[], WsgiApp]) -> WsgiApp:
    """What one worker serves: its own app, built after the fork, behind the front."""
    _early_stops.pass_on_when_replaced()
    scrub_environment(os.environ)
    return ServedFront(load_app())


def listens_per_worker() -> bool:
    """Whether each worker listens on its own socket (Linux: the kernel balances them)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def hold_address(listener: socket.socket) -> socket.socket:
    """Close `listener` and hold its address with a socket that does not listen, bound so that
    the workers' own sockets (SO_REUSEPORT) can bind it as well."""
    family, address = listener.family, listener.getsockname()
    listener.close()
    holder = socket.socket(family, socket.SOCK_STREAM)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    holder.bind(address)
    return holder


def _connect_address(host: str, port: int) -> tuple[str, int]:
    """Where to connect to reach an address listened on (any address: its loopback)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1", port
    if host == "::":
        return "::1", port
    return host, port


def announce_when_answering(
    host: str, port: int, announce: Callable[[], None], *, patience: float = ANNOUNCE_PATIENCE_SECONDS
) -> threading.Thread:
    """Call `announce` (in a thread) once a worker answers an HTTP request on the address (a
    connection alone could be taken by granian's own check of the address, which never answers)."""

    def wait() -> None:
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            probe = http.client.HTTPConnection(*_connect_address(host, port), timeout=PROBE_TIMEOUT_SECONDS)
            try:
                probe.request("GET", HEALTH_PATH)
                probe.getresponse().read()
                break
            except (OSError, http.client.HTTPException):
                time.sleep(0.005)  # the workers are starting: bounded by the deadline
            finally:
                probe.close()
        announce()

    thread = threading.Thread(target=wait, name="bitel-mock-announce", daemon=True)
    thread.start()
    return thread


def run_granian(
    load_app: Callable[[], WsgiApp],
    listener: socket.socket,
    *,
    workers: int,
    threads: int,
    announce: Callable[[], None] = lambda: None,
) -> None:
    """Serve the app `load_app()` builds (once in each worker) on `listener`'s address until
    stopped, calling `announce` once it accepts connections.

    Takes the listener over (it is closed when granian stops, or at once on Linux).
    """
    host, port = listener.getsockname()[:2]
    # Workers must inherit the listening socket: fork, whatever this Python's default.
    multiprocessing.set_start_method("fork", force=True)
    options = granian_options(workers=workers, threads=threads, host=host, port=port)
    if not listens_per_worker():
        server = PreboundGranian(listener.detach(), **options)
        announce()
        server.serve(target_loader=partial(_served, load_app), wrap_loader=False)
        return
    with hold_address(listener):
        server = PreboundGranian(
            None, after_spawn=partial(announce_when_answering, host, port, announce), **options
        )
        server.serve(target_loader=partial(_served, load_app), wrap_loader=False)
