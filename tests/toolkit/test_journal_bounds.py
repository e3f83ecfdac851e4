"""What the journal keeps of a body: small JSON parsed, anything else as bounded text, with the
size received and whether the entry holds less than the body; numbers bounded too."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.toolkit.journal import (
    MAX_BODY_TEXT,
    MAX_KEPT_JSON_BYTES,
    MAX_KEPT_NUMBERS,
    MAX_NUMBER_CHARS,
    received_body,
)
from tests.toolkit.conftest import AUTH, BATCH, NUMBER, SINGLE, VOICE_ID


@pytest.fixture
def client() -> FlaskClient:
    return create_app(Settings(seed=7)).test_client()


def only_entry(client: FlaskClient) -> dict:
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    return entry


def json_of_size(size: int) -> bytes:
    """A single-call body padded (inside a string) to exactly `size` bytes."""
    empty = json.dumps({"phoneNumber": NUMBER, "voiceId": VOICE_ID, "note": ""}).encode()
    return json.dumps({"phoneNumber": NUMBER, "voiceId": VOICE_ID, "note": "n" * (size - len(empty))}).encode()


def test_the_documented_bounds() -> None:
    assert (MAX_KEPT_JSON_BYTES, MAX_BODY_TEXT, MAX_KEPT_NUMBERS, MAX_NUMBER_CHARS) == (16384, 4096, 100, 64)


def test_json_up_to_16_kib_is_kept_parsed(client: FlaskClient) -> None:
    raw = json_of_size(MAX_KEPT_JSON_BYTES)
    client.post(SINGLE, data=raw, headers=AUTH)
    entry = only_entry(client)
    assert entry["body"] == json.loads(raw) and entry["bodyText"] is None
    assert (entry["bodySize"], entry["bodyTruncated"]) == (MAX_KEPT_JSON_BYTES, False)


def test_larger_json_is_kept_as_its_first_characters(client: FlaskClient) -> None:
    raw = json_of_size(MAX_KEPT_JSON_BYTES + 1)
    client.post(SINGLE, data=raw, headers=AUTH)
    entry = only_entry(client)
    assert entry["body"] is None
    assert entry["bodyText"] == raw[:MAX_BODY_TEXT].decode()
    assert (entry["bodySize"], entry["bodyTruncated"]) == (MAX_KEPT_JSON_BYTES + 1, True)
    assert entry["phoneNumbers"] == [NUMBER]  # still read from the whole body


def test_short_text_is_kept_whole_and_not_marked(client: FlaskClient) -> None:
    client.post(SINGLE, data="not json", headers=AUTH)
    entry = only_entry(client)
    assert (entry["bodyText"], entry["bodySize"], entry["bodyTruncated"]) == ("not json", 8, False)


def test_text_of_exactly_4096_characters_is_whole_and_one_more_is_cut(client: FlaskClient) -> None:
    client.post(SINGLE, data="é" * MAX_BODY_TEXT, headers=AUTH)  # 2 bytes each
    client.post(SINGLE, data="é" * (MAX_BODY_TEXT + 1), headers=AUTH)
    longer, exact = client.get("/__admin/requests").get_json()["requests"]
    assert (exact["bodyText"], exact["bodyTruncated"]) == ("é" * MAX_BODY_TEXT, False)
    assert (longer["bodyText"], longer["bodyTruncated"]) == ("é" * MAX_BODY_TEXT, True)
    assert longer["bodySize"] == 2 * (MAX_BODY_TEXT + 1)


def test_a_request_without_a_body(client: FlaskClient) -> None:
    client.get("/api/v2/voice/status/abc", headers=AUTH)
    entry = only_entry(client)
    assert (entry["body"], entry["bodyText"], entry["bodySize"], entry["bodyTruncated"]) == (None, None, 0, False)


def test_bytes_that_are_not_utf8_are_replaced_not_refused() -> None:
    fields = received_body(b"\xff\xfeab").fields
    assert (fields["bodyText"], fields["bodyTruncated"], fields["bodySize"]) == ("\ufffd\ufffdab", False, 4)


def test_kept_numbers_are_bounded_but_faults_see_every_one(client: FlaskClient) -> None:
    numbers = [f"0912{n:07d}" for n in range(MAX_KEPT_NUMBERS + 50)]
    last = numbers[-1]
    fault = client.post("/__admin/faults", json={"kind": "status", "status": 503, "phoneNumber": last})
    assert fault.status_code == 201
    answer = client.post(BATCH, json={"phoneNumbers": numbers, "voiceId": VOICE_ID}, headers=AUTH)
    assert answer.status_code == 503  # the fault matched the 150th number
    entry = only_entry(client)
    assert entry["phoneNumbers"] == numbers[:MAX_KEPT_NUMBERS]


def test_a_long_number_is_kept_cut(client: FlaskClient) -> None:
    long_number = "9" * 500
    client.post(SINGLE, json={"phoneNumber": long_number, "voiceId": VOICE_ID}, headers=AUTH)
    assert only_entry(client)["phoneNumbers"] == ["9" * MAX_NUMBER_CHARS]


def test_count_with_body_contains_reads_only_entries_the_filters_leave(client: FlaskClient) -> None:
    client.post(SINGLE, json={"phoneNumber": NUMBER, "voiceId": VOICE_ID}, headers=AUTH)
    client.post(SINGLE, data=json_of_size(MAX_KEPT_JSON_BYTES + 1), headers=AUTH)
    client.get("/missing")

    def count(matcher: dict) -> int:
        return client.post("/__admin/requests/count", json=matcher).get_json()["count"]

    assert count({"bodyContains": {"voiceId": VOICE_ID}}) == 1  # the large body is text now
    assert count({"path": SINGLE}) == 2
    assert count({"path": "/missing", "bodyContains": {}}) == 0  # no body is no JSON object
