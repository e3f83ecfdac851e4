"""How `serve` configures gunicorn: its own error answers in JSON, its log one line per record."""

from __future__ import annotations

import json
import socket

import pytest

from bitel_mock.serving import (
    GRACEFUL_TIMEOUT_SECONDS,
    EscapingLogger,
    JsonErrorWorker,
    gunicorn_options,
    http_layer_error,
)


@pytest.mark.parametrize(
    ("status", "line", "code"),
    [
        (400, "400 Bad Request", "InvalidRequest"),
        (403, "403 Forbidden", "Forbidden"),
        (414, "414 URI Too Long", "UriTooLong"),
        (417, "417 Expectation Failed", "ExpectationFailed"),
        (431, "431 Request Header Fields Too Large", "RequestHeaderFieldsTooLarge"),
        (500, "500 Internal Server Error", "InternalError"),
        (501, "501 Not Implemented", "NotImplemented"),
        (599, "599 Error", "Error"),
    ],
)
def test_each_status_gunicorn_answers_becomes_the_envelope(status: int, line: str, code: str) -> None:
    head, _, body = http_layer_error(status).partition(b"\r\n\r\n")
    status_line, *headers = head.decode("latin-1").split("\r\n")
    assert status_line == f"HTTP/1.1 {line}"
    assert headers == ["Connection: close", "Content-Type: application/json", f"Content-Length: {len(body)}"]
    assert json.loads(body) == {"result": None, "error": code}


def test_gunicorn_options() -> None:
    with socket.socket() as listener:
        options = gunicorn_options(listener, workers=3)
        assert options["bind"] == [f"fd://{listener.fileno()}"]
    assert options["workers"] == 3
    assert options["worker_class"] is JsonErrorWorker
    assert options["logger_class"] is EscapingLogger
    assert options["graceful_timeout"] == GRACEFUL_TIMEOUT_SECONDS == 30
    assert (options["loglevel"], options["accesslog"], options["proc_name"]) == ("warning", None, "bitel-mock")
