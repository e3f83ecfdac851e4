"""The express lane answers exactly as the Flask app behind it would, and takes the plain case.

Two emulators with the same seed and a manual clock are sent the same requests: one through
its express lane, one with the lane bypassed (its Flask app alone). Status, headers, bytes and
journal entries must agree, whatever the request.
"""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterable
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.domain.clock import ClockMode
from bitel_mock.emulator import EXTENSION_KEY
from bitel_mock.http.express import ExpressLane
from bitel_mock.http.toolkit_hooks import TOOLKIT_KEY
from bitel_mock.settings import Settings
from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.toolkit.journal import RequestMatcher
from tests.conftest import AUTH, VOICE_ID

START = 1_800_000_000
PLACING = (
    "/api/v2/voice/batch",
    "/api/v2/voice/batch/tts",
    "/api/v2/voice/single",
    "/api/v2/voice/single/tts",
    "/api/v2/voice/otp",
)
SETTINGS = Settings(seed=11, clock=ClockMode.MANUAL, start_time=START, allowed_hosts=frozenset())


def _pair(**changes: Any) -> tuple[Flask, Flask]:
    """Twin apps: the first answers through its lane, the second through Flask alone."""
    chosen = Settings(**{**SETTINGS.__dict__, **changes})
    express, flask_only = create_app(chosen), create_app(chosen)
    assert isinstance(flask_only.wsgi_app, ExpressLane)
    flask_only.wsgi_app = flask_only.wsgi_app.app  # type: ignore[method-assign]
    return express, flask_only


def _environ(
    method: str, path: str, body: bytes | None, headers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body or b""),
        "wsgi.errors": sys.stderr,
    }
    if body is not None:
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["CONTENT_TYPE"] = "application/json"
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    environ.update(extra)
    return environ


def _send(app: Flask, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    started: list[Any] = []
    chunks: Iterable[bytes] = app(environ, lambda status, headers, exc=None: started.append((status, headers)))
    body = b"".join(chunks)
    close = getattr(chunks, "close", None)
    if close is not None:
        close()
    status, headers = started[0]
    return status, sorted(headers), body


def _journal(app: Flask) -> list[dict[str, Any]]:
    return app.extensions[TOOLKIT_KEY].journal.select(RequestMatcher())


def _calls(app: Flask) -> list[Any]:
    return app.extensions[EXTENSION_KEY].calls.list()


def _flask_reached(app: Flask) -> list[str]:
    """Paths that reached the Flask app behind the lane, from now on."""
    lane = app.wsgi_app
    assert isinstance(lane, ExpressLane)
    reached: list[str] = []
    behind = lane.app

    def counting(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        reached.append(environ["PATH_INFO"])
        return behind(environ, start_response)

    lane.app = counting
    return reached


_numbers = st.one_of(
    st.sampled_from(["09120000001", "09990000102", "+989120000003", "0912", "09120000004"]),
    st.text(max_size=14),
)
_bodies = st.one_of(
    st.fixed_dictionaries(
        {"phoneNumbers": st.lists(_numbers, min_size=0, max_size=4), "voiceId": st.just(VOICE_ID)},
        optional={
            "retryCount": st.one_of(st.integers(-2, 12), st.just("1")),
            "serverId": st.sampled_from(["mirdamad1", "nowhere", None]),
            "text": st.text(max_size=20),
        },
    ),
    st.fixed_dictionaries(
        {"phoneNumber": _numbers},
        optional={
            "voiceId": st.just(VOICE_ID),
            "text": st.text(max_size=20),
            "repeatCount": st.one_of(st.integers(0, 6), st.just("2")),
            "code": st.text(max_size=8),
        },
    ),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
_raw_bodies = st.one_of(
    _bodies.map(lambda body: json.dumps(body).encode()),
    st.binary(max_size=40),
    st.none(),
)
_headers = st.fixed_dictionaries(
    {},
    optional={
        "Authorization": st.sampled_from([AUTH["Authorization"], "Bearer ", "Basic x", "Bearer other"]),
        "Host": st.sampled_from(["127.0.0.1:8080", "localhost", "evil.example"]),
        "X-Trace": st.text(alphabet="abc", max_size=5),
    },
)

_queries = st.sampled_from(["", "a=1", "x=%20&y"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(PLACING), _raw_bodies, _headers, st.booleans(), _queries),
        min_size=1,
        max_size=6,
    )
)
def test_the_lane_answers_and_journals_as_flask_does(
    requests: list[tuple[str, bytes | None, dict[str, str], bool, str]],
) -> None:
    express, flask_only = _pair()
    for path, body, headers, read_status, query in requests:
        answers = [
            _send(app, _environ("POST", path, body, headers, QUERY_STRING=query))
            for app in (express, flask_only)
        ]
        assert answers[0] == answers[1]
        if read_status and answers[0][0].startswith("200"):
            result = json.loads(answers[0][2])["result"]
            call_id = (result[0] if isinstance(result, list) else result)["id"]
            for status_path in (f"/api/v2/voice/status/{call_id}", f"/api/v2/voice/status/{call_id[:-1]}x"):
                reads = [_send(app, _environ("GET", status_path, None, headers)) for app in (express, flask_only)]
                assert reads[0] == reads[1]
    assert _journal(express) == _journal(flask_only)
    assert _calls(express) == _calls(flask_only)


def test_plain_placing_and_status_requests_never_reach_flask() -> None:
    app = create_app(SETTINGS)
    reached = _flask_reached(app)
    body = json.dumps({"phoneNumbers": ["09120000001", "09120000002"], "voiceId": VOICE_ID}).encode()
    status, _, answer = _send(
        app, _environ("POST", "/api/v2/voice/batch", body, AUTH, QUERY_STRING="trace=1")
    )
    call_id = json.loads(answer)["result"][0]["id"]
    read, _, _ = _send(app, _environ("GET", f"/api/v2/voice/status/{call_id}", None, AUTH))
    assert (status, read, reached) == ("200 OK", "200 OK", [])
    read_entry, place_entry = _journal(app)
    assert (place_entry["query"], place_entry["status"], place_entry["callIds"]) == (
        "trace=1", 200, [r["id"] for r in json.loads(answer)["result"]]
    )
    assert (read_entry["query"], read_entry["path"]) == (None, f"/api/v2/voice/status/{call_id}")


@pytest.mark.parametrize(
    ("case", "environ_changes"),
    [
        ("no token", {"HTTP_AUTHORIZATION": ""}),
        ("a foreign Host", {"HTTP_HOST": "evil.example"}),
        ("a chunked body", {"HTTP_TRANSFER_ENCODING": "chunked"}),
        ("no Content-Length", {"CONTENT_LENGTH": ""}),
    ],
)
def test_what_is_not_the_plain_case_goes_to_flask(case: str, environ_changes: dict[str, str]) -> None:
    app = create_app(SETTINGS)
    reached = _flask_reached(app)
    body = json.dumps({"phoneNumbers": ["09120000001"], "voiceId": VOICE_ID}).encode()
    environ = _environ("POST", "/api/v2/voice/batch", body, AUTH)
    environ.update(environ_changes)
    _send(app, environ)
    assert reached == ["/api/v2/voice/batch"], case


def test_an_installed_fault_or_rate_limit_sends_requests_to_flask() -> None:
    body = json.dumps({"phoneNumbers": ["09120000001"], "voiceId": VOICE_ID}).encode()
    for changes in ({"rate_limit": None, "max_waiting": 5}, {}):
        app = create_app(Settings(**{**SETTINGS.__dict__, **changes}))
        if not changes:
            client = app.test_client()
            added = client.post("/__admin/faults", json={"path": "/api/v2/voice/status/.*", "kind": "status", "status": 500, "error": "Boom"})
            assert added.status_code == 201, added.get_json()
        reached = _flask_reached(app)
        status, _, _ = _send(app, _environ("POST", "/api/v2/voice/batch", body, AUTH))
        assert (status, reached) == ("200 OK", ["/api/v2/voice/batch"])


def test_a_body_shorter_than_its_content_length_is_400_and_keeps_nothing() -> None:
    app = create_app(SETTINGS)
    body = json.dumps({"phoneNumbers": ["09120000001"], "voiceId": VOICE_ID}).encode()
    environ = _environ("POST", "/api/v2/voice/batch", body, AUTH)
    environ["CONTENT_LENGTH"] = str(len(body) + 10)
    status, _, answer = _send(app, environ)
    assert (status, json.loads(answer)) == ("400 BAD REQUEST", {"result": None, "error": "InvalidRequest"})
    assert _calls(app) == []


class _Failing:
    """A store whose batch writes (with or without their journal entry) raise `error`
    (everything else passes through)."""

    def __init__(self, store: Any, error: Exception) -> None:
        self._store = store
        self._error = error

    def add_batch(self, *args: Any, **kwargs: Any) -> Any:
        raise self._error

    def add_batch_with_entry(self, *args: Any, **kwargs: Any) -> Any:
        raise self._error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.mark.parametrize(
    ("error", "status", "code", "retry_after"),
    [
        (StoreUnavailable("disk full"), "503 SERVICE UNAVAILABLE", "ServiceUnavailable", "1"),
        (RuntimeError("bug"), "500 INTERNAL SERVER ERROR", "InternalError", None),
    ],
)
def test_a_failure_while_placing_is_answered_in_the_envelope_and_journaled(
    error: Exception, status: str, code: str, retry_after: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bitel_mock")
    answers = []
    for app in _pair():
        emulator = app.extensions[EXTENSION_KEY]
        emulator.calls.store = _Failing(emulator.calls.store, error)
        journal = app.extensions[TOOLKIT_KEY].journal
        journal.store = _Failing(journal.store, error)
        body = json.dumps({"phoneNumbers": ["09120000001"], "voiceId": VOICE_ID}).encode()
        answers.append(_send(app, _environ("POST", "/api/v2/voice/batch", body, AUTH)))
        (entry,) = _journal(app)
        assert (entry["status"], entry["error"], entry["callIds"]) == (int(status[:3]), code, [])
    assert answers[0] == answers[1]
    got_status, headers, answer = answers[0]
    assert (got_status, json.loads(answer)) == (status, {"result": None, "error": code})
    assert dict(headers).get("Retry-After") == retry_after
    if retry_after is None:
        assert sum("unexpected error while handling POST /api/v2/voice/batch" in r.getMessage() for r in caplog.records) == 2
