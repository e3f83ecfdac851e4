"""Every sample request of the vendor's SMS pages, sent to the emulator, gives a record of the
documented shape: a fresh record is Waiting, unpriced, one part, on line 10009909."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bitel_mock import contracts
from tests.sms.steps import BATCH, OTP, P2P, SINGLE, START, TEMPLATE, refused, send, sms_app, status

RECORD = contracts.validator("sms-record")
ONE = contracts.validator("sms-response")
MANY = contracts.validator("sms-batch-response")
HEX32 = re.compile(r"[0-9a-f]{32}")
OTP_TEXT = "به Bitel خوش آمدید\n کد یکبار مصرف  شما: 1234"


def _fresh(record: dict[str, Any], number: str, message: str, gateway: str = "10009909") -> None:
    """The documented fresh record, field by field and in the samples' key order."""
    assert list(record) == [
        "id",
        "gatewayNumber",
        "phoneNumber",
        "message",
        "requestDate",
        "status",
        "statusText",
        "partCount",
        "price",
    ]
    assert HEX32.fullmatch(record["id"])
    assert {k: v for k, v in record.items() if k != "id"} == {
        "gatewayNumber": gateway,
        "phoneNumber": number,
        "message": message,
        "requestDate": START,
        "status": 0,
        "statusText": "Waiting",
        "partCount": 1,
        "price": 0.0,
    }
    assert isinstance(record["price"], float)
    RECORD.validate(record)


def test_the_single_sample_without_its_dedicated_line() -> None:
    client = sms_app().test_client()
    record = send(client, SINGLE, {"message": "Hi there", "phoneNumber": "09121234567"})
    _fresh(record, "09121234567", "Hi there")


def test_the_single_sample_on_its_line_10007200_once_the_line_is_configured() -> None:
    sample = {"message": "Hi there", "phoneNumber": "09121234567", "gatewayNumber": "10007200"}
    assert refused(sms_app().test_client(), SINGLE, sample) == (
        400,
        {"result": None, "error": "InvalidGateway"},
    )
    client = sms_app(sms_gateways=frozenset({"10007200"})).test_client()
    response = client.post(SINGLE, json=sample, headers={"Authorization": "Bearer t"})
    ONE.validate(response.get_json())
    _fresh(response.get_json()["result"], "09121234567", "Hi there", gateway="10007200")


def test_the_batch_sample_gives_one_record_per_number_in_order() -> None:
    client = sms_app().test_client()
    body = {"message": "Hello from Bitel!", "phoneNumbers": ["09121234567", "09361234567"]}
    response = client.post(BATCH, json=body, headers={"Authorization": "Bearer t"})
    MANY.validate(response.get_json())
    first, second = response.get_json()["result"]
    _fresh(first, "09121234567", "Hello from Bitel!")
    _fresh(second, "09361234567", "Hello from Bitel!")
    assert first["id"] != second["id"]


def test_the_p2p_sample_sends_each_message_to_its_number() -> None:
    client = sms_app().test_client()
    body = {
        "messages": ["Hello Ali", "Hello Sara"],
        "phoneNumbers": ["09121234567", "09361234567"],
        "gatewayNumber": "10009909",
    }
    first, second = send(client, P2P, body)
    _fresh(first, "09121234567", "Hello Ali")
    _fresh(second, "09361234567", "Hello Sara")


def test_the_otp_sample_renders_the_fixed_text() -> None:
    client = sms_app().test_client()
    record = send(client, OTP, {"phoneNumber": "09121234567", "appName": "Bitel", "code": "1234"})
    _fresh(record, "09121234567", OTP_TEXT)


def test_the_otp_code_may_hold_letters_as_the_table_shows() -> None:
    record = send(
        sms_app().test_client(),
        OTP,
        {"phoneNumber": "09121234567", "appName": "Bitel", "code": "1234Ma"},
    )
    assert record["message"].endswith("شما: 1234Ma")


def test_the_template_sample_gives_the_documented_text() -> None:
    client = sms_app().test_client()
    body = {"phoneNumber": "09121234567", "templateId": 1234, "params": ["Bitel", "is", "awesome"]}
    _fresh(send(client, TEMPLATE, body), "09121234567", "Truth: Bitel is awesome")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (SINGLE, {"message": "Hi there", "phoneNumber": "09121234567"}),
        (OTP, {"phoneNumber": "09121234567", "appName": "Bitel", "code": "1234"}),
        (
            TEMPLATE,
            {
                "phoneNumber": "09121234567",
                "templateId": 1234,
                "params": ["Bitel", "is", "awesome"],
            },
        ),
    ],
)
def test_the_status_route_answers_the_record_the_send_answered(
    path: str, body: dict[str, Any]
) -> None:
    client = sms_app().test_client()
    record = send(client, path, body)
    assert status(client, record["id"]) == record


def test_unknown_extra_fields_are_ignored() -> None:
    client = sms_app().test_client()
    record = send(
        client, SINGLE, {"message": "Hi", "phoneNumber": "09121234567", "priority": 1, "x": None}
    )
    _fresh(record, "09121234567", "Hi")
