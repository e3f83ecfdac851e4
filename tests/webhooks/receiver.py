"""A webhook receiver on a loopback port for tests: records every POST and answers as told."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY_BYTES)
        body = self.rfile.read(length)
        receiver = self.server.receiver
        status = receiver._record(Received(self.path, dict(self.headers.items()), body))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: Receiver


class Receiver:
    """`with Receiver() as hook:` serves on 127.0.0.1:<free port> until the block ends.

    `fail_with(500, 503)` answers those statuses to the next POSTs, then 200.
    `hold()` keeps every answer waiting until `release()`.
    """

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.receiver = self
        self._lock = threading.Condition()
        self._requests: list[Received] = []
        self._statuses: deque[int] = deque()
        self._gate = threading.Event()
        self._gate.set()
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._gate.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def fail_with(self, *statuses: int) -> None:
        with self._lock:
            self._statuses.extend(statuses)

    def hold(self) -> None:
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def _record(self, received: Received) -> int:
        with self._lock:
            self._requests.append(received)
            status = self._statuses.popleft() if self._statuses else 200
            self._lock.notify_all()
        self._gate.wait()
        return status

    @property
    def requests(self) -> list[Received]:
        with self._lock:
            return list(self._requests)

    def bodies(self) -> list[dict[str, Any]]:
        return [received.json() for received in self.requests]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Every request once at least `count` have arrived (AssertionError after `timeout`)."""
        with self._lock:
            arrived = self._lock.wait_for(lambda: len(self._requests) >= count, timeout)
            assert arrived, f"{len(self._requests)} of {count} webhooks arrived in {timeout} s"
            return list(self._requests)


def by_request_id(bodies: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {body["requestId"]: body for body in bodies}
