"""The WSGI front `serve` puts before the app under granian, called directly (no server)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.served_front import (
    MAX_HEADER_CHARS,
    MAX_TARGET_CHARS,
    NOT_A_LENGTH,
    ServedFront,
    head_refusal,
    scrub_environment,
    status_line,
)
from bitel_mock.settings import Settings
from bitel_mock.toolkit.wire import DELAY_HEADER, DROP_HEADER, DROP_VALUE


class Started:
    """A start_response that keeps what it was given."""

    def __init__(self) -> None:
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []

    def __call__(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        self.status, self.headers = status, headers

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def environ(path: str = "/__admin/health", query: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "localhost",
        **extra,
    }


def answering(status: str, headers: list[tuple[str, str]], body: bytes = b"") -> Any:
    def app(env: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response(status, headers)
        return [body]

    return app


def call(front: ServedFront, env: dict[str, Any]) -> tuple[Started, bytes, Iterable[bytes]]:
    started = Started()
    body = front(env, started)
    return started, b"".join(body), body


@pytest.mark.parametrize(
    ("status", "line"),
    [
        (400, "400 Bad Request"),
        (414, "414 URI Too Long"),
        (431, "431 Request Header Fields Too Large"),
        (599, "599 Error"),
    ],
)
def test_status_lines(status: int, line: str) -> None:
    assert status_line(status) == line


def test_a_target_at_the_limit_is_served_one_more_is_414() -> None:
    assert MAX_TARGET_CHARS == 4094
    path = "/" + "a" * (MAX_TARGET_CHARS - 1 - len("?q=1"))
    assert head_refusal(environ(path, "q=1")) is None
    assert head_refusal(environ(path + "a", "q=1")) == 414
    started, body, _ = call(ServedFront(create_app(Settings())), environ(path + "a", "q=1"))
    assert (
        started.status == "414 URI Too Long"
        and started.header("Content-Type") == "application/json"
    )
    assert json.loads(body) == {"result": None, "error": "UriTooLong"}


def test_a_header_at_the_limit_is_served_one_more_is_431() -> None:
    assert MAX_HEADER_CHARS == 8190
    value = "b" * (MAX_HEADER_CHARS - len("X-Big: "))
    assert head_refusal(environ(HTTP_X_BIG=value)) is None
    assert head_refusal(environ(HTTP_X_BIG=value + "b")) == 431
    started, body, _ = call(ServedFront(create_app(Settings())), environ(HTTP_X_BIG=value + "b"))
    assert started.status == "431 Request Header Fields Too Large"
    assert json.loads(body) == {"result": None, "error": "RequestHeaderFieldsTooLarge"}


def test_the_environment_loses_what_would_pass_for_request_data() -> None:
    variables = {
        "PATH": "/bin",
        "HOME": "/root",
        "BITEL_MOCK_SEED": "1",
        "HTTP_PROXY": "http://p:3128",
        "HTTP_X_LEAK": "1",
        "CONTENT_TYPE": "text/plain",
        "CONTENT_LENGTH": "9",
        "bitel_mock.in_process": "1",
        "wsgi.input_terminated": "1",
    }
    scrub_environment(variables)
    assert variables == {"PATH": "/bin", "HOME": "/root", "BITEL_MOCK_SEED": "1"}


def test_an_empty_host_is_no_host() -> None:
    seen: list[dict[str, Any]] = []

    def app(env: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen.append(dict(env))
        return answering("200 OK", [])(env, start_response)

    call(ServedFront(app), environ(HTTP_HOST=""))
    call(ServedFront(app), environ(HTTP_HOST="localhost:8080"))
    assert "HTTP_HOST" not in seen[0] and seen[1]["HTTP_HOST"] == "localhost:8080"


def test_a_drop_is_a_stream_granian_cannot_send() -> None:
    closed: list[bool] = []

    class Body(list[bytes]):
        def close(self) -> None:
            closed.append(True)

    def app(env: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("502 Bad Gateway", [(DROP_HEADER, DROP_VALUE)])
        return Body([b""])

    started, body, returned = call(ServedFront(app), environ())
    assert started.headers == [("Content-Length", NOT_A_LENGTH)] and not NOT_A_LENGTH.isdigit()
    assert body == b"" and not isinstance(returned, list)  # a list would be sent whole
    assert closed == [True]


def test_a_delay_is_waited_and_not_told() -> None:
    slept: list[float] = []
    app = answering(
        "200 OK", [("Content-Type", "application/json"), (DELAY_HEADER, "2.500")], b"{}"
    )
    started, body, _ = call(ServedFront(app, sleep=slept.append), environ())
    assert slept == [2.5]
    assert started.status == "200 OK" and started.headers == [("Content-Type", "application/json")]
    assert body == b"{}"


def test_an_answer_without_fault_headers_passes_unchanged() -> None:
    slept: list[float] = []
    app = answering("201 Created", [("Content-Type", "text/plain"), ("X-Other", "1")], b"ok")
    started, body, _ = call(ServedFront(app, sleep=slept.append), environ())
    assert (started.status, started.headers, body, slept) == (
        "201 Created",
        [("Content-Type", "text/plain"), ("X-Other", "1")],
        b"ok",
        [],
    )


def test_an_error_past_flask_is_a_500_envelope_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    def app(env: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        raise RuntimeError("broken\r\nline")

    started, body, _ = call(ServedFront(app), environ("/api/v2/x"))
    assert started.status == "500 Internal Server Error"
    assert json.loads(body) == {"result": None, "error": "InternalError"}
    [record] = [r for r in caplog.records if r.name == "bitel_mock.serving"]
    assert record.exc_info is not None and "GET /api/v2/x" in record.getMessage()


def test_an_app_that_never_starts_a_response_is_a_500() -> None:
    started, body, _ = call(ServedFront(lambda env, start_response: [b"x"]), environ())
    assert (
        started.status == "500 Internal Server Error"
        and json.loads(body)["error"] == "InternalError"
    )


@given(path=st.text(max_size=5000), query=st.text(max_size=100))
def test_the_target_rule(path: str, query: str) -> None:
    refused = head_refusal(environ(path, query, HTTP_HOST="x"))
    assert (refused == 414) == (len(path) + 1 + len(query) > MAX_TARGET_CHARS)
    assert refused in (None, 414)
