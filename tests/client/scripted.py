"""Test doubles for the client: a transport adapter that plays a script, and a fake clock."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3.exceptions
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

BASE_URL = "http://bitel.test"


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)

    def content(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


def envelope(
    result: Any = None, error: str | None = None, status: int = 200, **headers: str
) -> Reply:
    return Reply(
        status, {"result": result, "error": error}, {"Content-Type": "application/json", **headers}
    )


class ScriptedAdapter(BaseAdapter):
    """Answers each request with the next step of its script: a Reply, or an exception to raise."""

    def __init__(self, steps: Iterable[Reply | BaseException]) -> None:
        super().__init__()
        self.steps = list(steps)
        self.sent: list[requests.PreparedRequest] = []

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        self.sent.append(request)
        if not self.steps:
            raise AssertionError(f"unscripted request: {request.method} {request.url}")
        step = self.steps.pop(0)
        if isinstance(step, BaseException):
            raise step
        response = requests.Response()
        response.status_code = step.status
        response.headers = CaseInsensitiveDict(step.headers)
        response.raw = io.BytesIO(step.content())
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def scripted_session(*steps: Reply | BaseException) -> tuple[requests.Session, ScriptedAdapter]:
    adapter = ScriptedAdapter(steps)
    session = requests.Session()
    session.mount(BASE_URL + "/", adapter)
    return session, adapter


class FakeClock:
    """A clock that moves only when the client sleeps; records every sleep."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


# Exceptions shaped exactly as requests raises them from urllib3's failures.
def refused() -> requests.exceptions.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(
        None, "Failed to establish a new connection: [Errno 111] Connection refused"
    )  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, "/api", reason)
    )  # type: ignore[arg-type]


def connect_timeout() -> requests.exceptions.ConnectTimeout:
    reason = urllib3.exceptions.ConnectTimeoutError(None, "Connection to bitel.test timed out")
    return requests.exceptions.ConnectTimeout(
        urllib3.exceptions.MaxRetryError(None, "/api", reason)
    )  # type: ignore[arg-type]


def read_timeout() -> requests.exceptions.ReadTimeout:
    return requests.exceptions.ReadTimeout(
        urllib3.exceptions.ReadTimeoutError(None, "/api", "Read timed out.")
    )  # type: ignore[arg-type]


def reset_after_send() -> requests.exceptions.ConnectionError:
    """What requests raises when the server drops the connection after the request went out."""
    cause = urllib3.exceptions.ProtocolError(
        "Connection aborted.", ConnectionResetError(104, "Connection reset by peer")
    )
    return requests.exceptions.ConnectionError(cause)


def record(
    call_id: str = "a" * 32, status: str = "WAITING", code: int = 0, **extra: Any
) -> dict[str, Any]:
    base = {
        "id": call_id,
        "phoneNumber": "09121234567",
        "status": status,
        "statusCode": code,
        "billSec": 0,
        "requestDate": 1_700_000_000,
        "executionDate": 0,
        "price": 0.0,
    }
    return base | extra
