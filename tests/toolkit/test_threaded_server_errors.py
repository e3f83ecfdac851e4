"""ThreadedServer over raw sockets: the errors its HTTP layer answers before the app runs are the
JSON envelope with their status and a standard reason, with the codes `bitel-mock serve` uses."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bitel_mock.app import create_app
from bitel_mock.served_front import error_body
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer, server_error_code

HOST = b"Host: localhost\r\n"
TOO_LONG = 70_000
"""Longer than http.server reads of a request line or a header line (65536)."""


@dataclass(frozen=True)
class Answer:
    status_line: str
    headers: dict[str, str]
    body: bytes


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(Settings(seed=4))) as running:
        yield running


def raw(server: ThreadedServer, request: bytes) -> Answer:
    """Send bytes as they are; read the answer until the server closes the connection."""
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return Answer(status_line, headers, body)


ERRORS = [
    ("no method and path", b"GARBAGE\r\n\r\n", "400 Bad Request", "InvalidRequest"),
    ("a raw CR in the path", b"GET /a\rb HTTP/1.1\r\n" + HOST + b"\r\n", "400 Bad Request", "InvalidRequest"),
    ("a bad HTTP version", b"GET / HTTP/9\r\n" + HOST + b"\r\n", "400 Bad Request", "InvalidRequest"),
    ("an HTTP/0.9 POST", b"POST /\r\n\r\n", "400 Bad Request", "InvalidRequest"),
    (
        "a request line too long",
        b"GET /" + b"a" * TOO_LONG + b" HTTP/1.1\r\n" + HOST + b"\r\n",
        "414 URI Too Long",
        "UriTooLong",
    ),
    (
        "a header line too long",
        b"GET / HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * TOO_LONG + b"\r\n\r\n",
        "431 Request Header Fields Too Large",
        "RequestHeaderFieldsTooLarge",
    ),
    (
        "too many headers",
        b"GET / HTTP/1.1\r\n" + HOST + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n",
        "431 Request Header Fields Too Large",
        "RequestHeaderFieldsTooLarge",
    ),
    (
        "HTTP/2 over HTTP/1 framing",
        b"GET / HTTP/2.0\r\n" + HOST + b"\r\n",
        "505 HTTP Version Not Supported",
        "HttpVersionNotSupported",
    ),
]


@pytest.mark.parametrize(("what", "request_bytes", "status", "code"), ERRORS, ids=[e[0] for e in ERRORS])
def test_the_servers_own_errors_are_the_json_envelope(
    server: ThreadedServer, what: str, request_bytes: bytes, status: str, code: str
) -> None:
    answer = raw(server, request_bytes)
    assert answer.status_line == f"HTTP/1.1 {status}"
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["connection"] == "close"
    assert int(answer.headers["content-length"]) == len(answer.body)
    assert json.loads(answer.body) == {"result": None, "error": code}


def test_the_status_line_never_repeats_the_request(server: ThreadedServer) -> None:
    answer = raw(server, b"GET / HTTP/9<script>\r\n" + HOST + b"\r\n")
    assert answer.status_line == "HTTP/1.1 400 Bad Request"
    assert b"<" not in answer.body
    assert json.loads(answer.body) == {"result": None, "error": "InvalidRequest"}


def test_a_head_request_gets_the_headers_without_the_body(server: ThreadedServer) -> None:
    many = b"".join(b"X-%d: 1\r\n" % i for i in range(150))
    answer = raw(server, b"HEAD / HTTP/1.1\r\n" + HOST + many + b"\r\n")
    assert answer.status_line == "HTTP/1.1 431 Request Header Fields Too Large"
    assert answer.headers["content-type"] == "application/json"
    assert int(answer.headers["content-length"]) == len(b'{"result":null,"error":"RequestHeaderFieldsTooLarge"}')
    assert answer.body == b""


def test_the_server_still_answers_after_an_error(server: ThreadedServer) -> None:
    assert raw(server, b"GARBAGE\r\n\r\n").status_line == "HTTP/1.1 400 Bad Request"
    answer = raw(server, b"GET /__admin/health HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
    assert answer.status_line.startswith("HTTP/1.1 200")
    assert json.loads(answer.body)["status"] == "ok"


@pytest.mark.parametrize("status", [400, 414, 431, 500, 501, 505])
def test_the_codes_are_those_of_the_served_emulator(status: int) -> None:
    served_body = error_body(status)
    assert json.loads(served_body)["error"] == server_error_code(status)
