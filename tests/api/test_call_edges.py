"""Edges of placing, finding and listing calls: ids that are not ours, the shortest bills,
the number filter of /__admin/calls, the shape of campaign ids."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.domain.ids import IdCodec, key_from_seed
from bitel_mock.domain.phone import NumberForm
from bitel_mock.settings import Settings
from bitel_mock.store.memory import MemoryStore
from tests.conftest import AUTH
from tests.emulator_steps import admin_call, advance, place, post

START = 1_700_000_000


@pytest.fixture
def manual() -> FlaskClient:
    return create_app(Settings(seed=9, clock="manual", start_time=START)).test_client()


@pytest.mark.parametrize("call_id", ["g" * 32, "-" * 32, "0" * 31 + "z", " " * 32])
def test_thirty_two_characters_that_are_not_hex_are_not_found(
    manual: FlaskClient, call_id: str
) -> None:
    response = manual.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)
    assert (response.status_code, response.get_json()) == (
        404,
        {"result": None, "error": "NotFound"},
    )


def test_on_a_shared_store_an_id_of_another_seed_is_not_found() -> None:
    store = MemoryStore()
    first = create_app(Settings(seed=1), store=store).test_client()
    [record] = place(first, ["09121234567"])
    sequence = IdCodec(key_from_seed(1)).decode(record["id"])
    assert sequence is not None
    second = create_app(Settings(seed=2), store=store).test_client()
    same_sequence_other_key = IdCodec(key_from_seed(2)).encode(sequence)
    for call_id in (record["id"], same_sequence_other_key):
        assert second.get(f"/api/v2/voice/status/{call_id}", headers=AUTH).status_code == 404
    assert first.get(f"/api/v2/voice/status/{record['id']}", headers=AUTH).status_code == 200


def _final_body(client: FlaskClient, path: str, body: dict[str, object]) -> bytes:
    response = post(client, path, body)
    assert response.status_code == 200, response.get_json()
    advance(client, 3600)
    return client.get(
        f"/api/v2/voice/status/{response.get_json()['result']['id']}", headers=AUTH
    ).data


@pytest.mark.parametrize(
    "path, body, bill_sec",
    [
        ("/api/v2/voice/single/tts", {"phoneNumber": "09121234567", "text": "hi"}, 1),
        ("/api/v2/voice/single/tts", {"phoneNumber": "09121234567", "text": "x" * 12}, 1),
        ("/api/v2/voice/single/tts", {"phoneNumber": "09121234567", "text": "x" * 13}, 2),
        ("/api/v2/voice/otp", {"phoneNumber": "09121234567", "text": "7", "repeatCount": 1}, 2),
        ("/api/v2/voice/otp", {"phoneNumber": "09121234567", "text": "1234"}, 10),
    ],
)
def test_the_shortest_bills_and_bill_sec_is_an_integer_on_the_wire(
    manual: FlaskClient, path: str, body: dict[str, object], bill_sec: int
) -> None:
    assert f'"billSec":{bill_sec},'.encode() in _final_body(manual, path, body)


def test_a_scenario_may_talk_for_one_second(manual: FlaskClient) -> None:
    rule = {"number": "09121111111", "attempts": [{"status": "NORMAL", "talkSeconds": 1}]}
    assert manual.post("/__admin/scenarios", json=rule).status_code == 201
    [record] = place(manual, ["09121111111"])
    assert admin_call(manual, record["id"])["plan"]["billSec"] == 1


def test_the_number_filter_finds_older_calls_and_any_accepted_form() -> None:
    client = create_app(Settings(seed=9, number_forms=frozenset({NumberForm.PLUS98}))).test_client()
    place(client, ["09121111111"])
    place(client, ["09122222222"])  # newer: listed first

    def found(number: str) -> list[str]:
        calls = client.get("/__admin/calls", query_string={"number": number}).get_json()["calls"]
        return [call["localNumber"] for call in calls]

    assert found("09121111111") == ["09121111111"]
    assert found("+989121111111") == ["09121111111"]
    assert found("09123333333") == []


def test_a_request_is_one_campaign_with_a_32_hex_id_of_its_own(manual: FlaskClient) -> None:
    first = place(manual, ["09121234567", "09121234567"])
    [second] = place(manual, ["09121234567"])
    campaigns = [admin_call(manual, r["id"])["campaignId"] for r in [*first, second]]
    assert campaigns[0] == campaigns[1] != campaigns[2]
    assert all(re.fullmatch("[0-9a-f]{32}", campaign) for campaign in campaigns)
