"""`make bench`'s slow clients: the documented figures, and the section tells a server that
serves others while headers trickle in from one that a trickler holds."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import pytest

from benchmarks import slow_clients

STATUS_PATH = "/api/v2/voice/status/0123456789abcdef0123456789abcdef"


def test_the_documented_figures() -> None:
    assert slow_clients.TRICKLERS == 16
    assert slow_clients.BYTE_INTERVAL_SECONDS == 1.0
    assert slow_clients.TRICKLE_SECONDS == 15.0
    assert slow_clients.READS == 20
    assert slow_clients.READ_INTERVAL_SECONDS == 0.5
    assert slow_clients.TARGET_SECONDS == 1.0
    last_read_ends = (
        slow_clients.READS - 1
    ) * slow_clients.READ_INTERVAL_SECONDS + slow_clients.READ_TIMEOUT_SECONDS
    assert last_read_ends < slow_clients.TRICKLE_SECONDS  # every read ends while tricklers trickle


class _Status(BaseHTTPRequestHandler):
    timeout = 10  # a trickler's connection is dropped at the latest then

    def do_GET(self) -> None:
        body = b'{"result":{},"error":null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _OneAtATime(HTTPServer):
    request_queue_size = 64  # the tricklers and reads wait in the backlog, not refused


class _ThreadPerConnection(ThreadingHTTPServer):
    request_queue_size = 64


@contextmanager
def _serving(server_class: type[HTTPServer]) -> Iterator[str]:
    server = server_class(("127.0.0.1", 0), _Status)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=15)


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same section, smaller: 4 tricklers, 4 reads 50 ms apart, each given 0.5 s."""
    monkeypatch.setattr(slow_clients, "TRICKLERS", 4)
    monkeypatch.setattr(slow_clients, "READS", 4)
    monkeypatch.setattr(slow_clients, "READ_INTERVAL_SECONDS", 0.05)
    monkeypatch.setattr(slow_clients, "READ_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(slow_clients, "BYTE_INTERVAL_SECONDS", 0.2)
    monkeypatch.setattr(slow_clients, "TRICKLE_SECONDS", 5.0)


@pytest.mark.usefixtures("quick")
def test_a_server_with_a_thread_per_connection_answers_every_read() -> None:
    with _serving(_ThreadPerConnection) as url:
        result = slow_clients.run(url, STATUS_PATH)
    assert result.tricklers_connected == 4
    assert result.answered == 4
    assert result.met


@pytest.mark.usefixtures("quick")
def test_a_server_held_by_a_trickler_answers_no_read() -> None:
    with _serving(_OneAtATime) as url:
        result = slow_clients.run(url, STATUS_PATH)
    assert result.tricklers_connected == 4
    assert result.latencies == (None, None, None, None)
    assert not result.met


def test_no_server_means_no_trickler_and_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slow_clients, "READS", 2)
    monkeypatch.setattr(slow_clients, "READ_INTERVAL_SECONDS", 0.01)
    with _serving(_ThreadPerConnection) as url:
        pass  # closed: nothing listens on its port any more
    result = slow_clients.run(url, STATUS_PATH)
    assert result.tricklers_connected == 0
    assert result.latencies == (None, None)
