"""Reading bodies in process: the size limit holds for chunked bodies as for sized ones, an
unreadable body is 400, and text that cannot be encoded is 400 (never 500).

A chunked body is simulated as servers hand it over: no Content-Length, the
stream already de-chunked, `wsgi.input_terminated` set.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.settings import Settings

SINGLE = "/api/v2/voice/single"
VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"
AUTH = {"Authorization": "Bearer sk-test-token"}
LIMIT = 200
BODY = json.dumps({"phoneNumber": "09121234567", "voiceId": VOICE_ID}).encode()


class UnreadableStream(io.BytesIO):
    """What a server's chunk decoder does with a malformed chunk: raise while reading."""

    def read(self, size: int | None = -1) -> bytes:
        raise ValueError("Invalid chunk size: b'zz'")


@pytest.fixture
def client() -> FlaskClient:
    return create_app(Settings(seed=3, max_body_bytes=LIMIT)).test_client()


def padded(size: int) -> bytes:
    """The valid single-call body, padded with spaces to exactly `size` bytes."""
    return BODY + b" " * (size - len(BODY))


def send_chunked(client: FlaskClient, path: str, stream: io.BytesIO, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        path,
        input_stream=stream,
        headers={**(headers or {}), "Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def calls_kept(client: FlaskClient) -> int:
    return client.get("/__admin/calls").get_json()["total"]


def test_a_chunked_body_exactly_at_the_limit_is_read_whole(client: FlaskClient) -> None:
    answer = send_chunked(client, SINGLE, io.BytesIO(padded(LIMIT)), AUTH)
    assert answer.status_code == 200
    assert calls_kept(client) == 1
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert (entry["bodySize"], entry["bodyTruncated"]) == (LIMIT, False)


def test_a_chunked_body_one_byte_over_the_limit_is_413_and_places_nothing(client: FlaskClient) -> None:
    answer = send_chunked(client, SINGLE, io.BytesIO(padded(LIMIT + 1)), AUTH)
    assert answer.status_code == 413
    assert answer.get_json() == {"result": None, "error": "PayloadTooLarge"}
    assert calls_kept(client) == 0
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert (entry["status"], entry["body"], entry["bodyTruncated"]) == (413, None, True)


def test_a_sized_body_over_the_limit_is_413_too(client: FlaskClient) -> None:
    answer = client.post(SINGLE, data=padded(LIMIT + 1), headers=AUTH)
    assert (answer.status_code, answer.get_json()["error"]) == (413, "PayloadTooLarge")
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert entry["bodySize"] == LIMIT + 1
    assert calls_kept(client) == 0


def test_a_chunked_control_plane_body_over_the_limit_is_413_in_its_shape(client: FlaskClient) -> None:
    answer = send_chunked(client, "/__admin/requests/count", io.BytesIO(b"{}" + b" " * LIMIT))
    assert answer.status_code == 413
    assert answer.get_json()["error"] == "PayloadTooLarge"


def test_a_malformed_chunk_is_400_for_the_api_and_for_the_control_plane(client: FlaskClient) -> None:
    api = send_chunked(client, SINGLE, UnreadableStream(), AUTH)
    assert (api.status_code, api.get_json()) == (400, {"result": None, "error": "InvalidRequest"})
    admin = send_chunked(client, "/__admin/requests/count", UnreadableStream())
    assert admin.status_code == 400
    assert admin.get_json()["message"].startswith("the body could not be read")
    assert calls_kept(client) == 0


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "\\udbff", "a\\udc00b"])
def test_a_lone_surrogate_in_a_call_body_is_400_and_is_journaled_as_text(client: FlaskClient, escape: str) -> None:
    raw = f'{{"phoneNumber": "09121234567", "voiceId": "{escape}"}}'.encode()
    answer = client.post(SINGLE, data=raw, headers=AUTH)
    assert (answer.status_code, answer.get_json()["error"]) == (400, "InvalidRequest")
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert (entry["body"], entry["bodyText"]) == (None, raw.decode())
    assert calls_kept(client) == 0


def test_a_lone_surrogate_as_a_key_is_400_too(client: FlaskClient) -> None:
    answer = client.post(SINGLE, data=b'{"\\ud800": 1}', headers=AUTH)
    assert answer.status_code == 400


def test_a_surrogate_pair_is_text_and_an_escaped_backslash_is_no_surrogate(client: FlaskClient) -> None:
    paired = client.post("/__admin/requests/count", data=b'{"path": "/\\ud83d\\ude00"}')
    assert (paired.status_code, paired.get_json()) == (200, {"count": 0})
    literal = client.post("/__admin/requests/count", data=b'{"path": "/\\\\ud800"}')
    assert (literal.status_code, literal.get_json()) == (200, {"count": 0})


def test_a_lone_surrogate_in_a_control_plane_body_is_400(client: FlaskClient) -> None:
    answer = client.post("/__admin/scenarios", data=b'{"pattern": "\\ud800", "attempts": ["NORMAL"]}')
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "InvalidRequest"
    assert "surrogate" in answer.get_json()["message"]


SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
TEXT_WITH_SURROGATES = st.lists(st.one_of(st.characters(), SURROGATE), max_size=8).map("".join)


@given(text=TEXT_WITH_SURROGATES)
def test_any_text_as_a_voice_id_is_answered_without_a_server_error(text: str) -> None:
    client = create_app(Settings(seed=4)).test_client()
    escaped = json.dumps({"phoneNumber": "09121234567", "voiceId": text})  # \\uXXXX for surrogates
    answer = client.post(SINGLE, data=escaped.encode(), headers=AUTH)
    received = json.loads(escaped)["voiceId"]  # a high and a low surrogate in a row pair up
    is_text = not any(0xD800 <= ord(c) <= 0xDFFF for c in received)
    assert answer.status_code == (200 if is_text and received else 400)
    assert client.get("/__admin/requests").status_code == 200
