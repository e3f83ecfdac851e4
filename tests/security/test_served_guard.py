"""A served emulator (`bitel-mock serve`, granian) over raw sockets: the heads gunicorn refused
are refused in the JSON envelope, granian's own refusals have an empty body, and the guard holds
over the wire."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.e2e.processes import AUTH, Served, serving

SINGLE = {"phoneNumber": "09121234567", "voiceId": "08e815cbcd724386805103ac0d45e4c2"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = Path(tmp_path_factory.mktemp("store")) / "calls.sqlite3"
    with serving("--store", f"sqlite:///{store}", "--seed", "3") as server:
        placed = requests.post(f"{server.url}/api/v2/voice/single", json=SINGLE, headers=AUTH, timeout=10)
        assert placed.status_code == 200
        yield server


def raw(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; the status, headers (lower-case names) and body of the answer
    (its Content-Length bytes: the connection may stay open)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := conn.recv(65536)):
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
        while len(body) < int(headers.get("content-length", "0")) and (chunk := conn.recv(65536)):
            body += chunk
    return int(status_line.split(" ")[1]), headers, body


def _request(target: bytes, *headers: bytes) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n"


HTTP_LAYER_ERRORS = [
    ("request line too long", _request(b"/api/v2/voice/status/" + b"a" * 9000), 414, "UriTooLong"),
    ("a header too large", _request(b"/", b"X-Big: " + b"b" * 9000), 431, "RequestHeaderFieldsTooLarge"),
]
GRANIAN_ERRORS = [
    ("too many headers", _request(b"/", *(b"X-%d: 1" % i for i in range(150))), 431),
    ("a head over granian's buffer", _request(b"/", *(b"X-%d: %s" % (i, b"c" * 8000) for i in range(20))), 431),
    ("no method and path", b"GARBAGE\r\n\r\n", 400),
    ("a raw CR in the path", b"GET /a\rb HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
    ("a header without a colon", _request(b"/", b"NoColonHere"), 400),
    ("a bad HTTP version", b"GET / HTTP/9\r\nHost: localhost\r\n\r\n", 400),
]


@pytest.mark.parametrize(("what", "request_bytes", "status", "code"), HTTP_LAYER_ERRORS, ids=[e[0] for e in HTTP_LAYER_ERRORS])
def test_heads_over_the_limits_are_the_json_envelope(
    served: Served, what: str, request_bytes: bytes, status: int, code: str
) -> None:
    got, headers, body = raw(served.url, request_bytes)
    assert got == status
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    assert json.loads(body) == {"result": None, "error": code}


@pytest.mark.parametrize(("what", "request_bytes", "status"), GRANIAN_ERRORS, ids=[e[0] for e in GRANIAN_ERRORS])
def test_granians_own_errors_have_an_empty_body(served: Served, what: str, request_bytes: bytes, status: int) -> None:
    """granian answers these before any Python runs, and cannot be told to answer JSON."""
    got, headers, body = raw(served.url, request_bytes)
    assert (got, body) == (status, b"")
    assert (headers["content-length"], headers["connection"]) == ("0", "close")
    assert "content-type" not in headers


def test_a_rebound_host_reads_nothing_over_the_wire(served: Served) -> None:
    call_id = requests.get(f"{served.url}/__admin/calls", timeout=10).json()["calls"][0]["id"]
    status, _, body = raw(served.url, b"GET /api/v2/voice/status/" + call_id.encode()
                          + b" HTTP/1.1\r\nHost: evil.example:8080\r\nAuthorization: Bearer t\r\n\r\n")
    assert status == 421 and json.loads(body) == {"result": None, "error": "MisdirectedRequest"}
    status, _, body = raw(served.url, b"GET /__admin/calls HTTP/1.1\r\nHost: evil.example\r\n\r\n")
    assert status == 421 and json.loads(body)["error"] == "MisdirectedRequest"
    assert call_id.encode() not in body


def test_a_cross_site_reset_over_the_wire_is_403_and_forgets_nothing(served: Served) -> None:
    port = served.url.rsplit(":", 1)[1].encode()
    status, _, body = raw(served.url, b"POST /__admin/reset HTTP/1.1\r\nHost: 127.0.0.1:" + port
                          + b"\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}")
    assert status == 403 and json.loads(body)["error"] == "Forbidden"
    assert requests.get(f"{served.url}/__admin/health", timeout=10).json()["calls"] == 1
    # The same request from the emulator's own origin is answered.
    status, _, _ = raw(served.url, b"GET /__admin/calls HTTP/1.1\r\nHost: 127.0.0.1:" + port
                       + b"\r\nOrigin: http://127.0.0.1:" + port + b"\r\nSec-Fetch-Site: same-origin\r\n\r\n")
    assert status == 200


def test_an_http_10_request_without_host_is_answered(served: Served) -> None:
    status, _, body = raw(served.url, b"GET /__admin/health HTTP/1.0\r\n\r\n")
    assert status == 200 and json.loads(body)["status"] == "ok"
