"""A message's record over the emulator's clock (moved through the control plane): Waiting,
then CheckOk (charged) or a refusal, then its final code; the outcome from magic numbers."""

from __future__ import annotations

import pytest

from tests.sms.steps import BATCH, OTP, SINGLE, START, TEMPLATE, advance, send, sms_app, status


def _single(number: str, message: str = "Hi") -> tuple[object, str]:
    client = sms_app().test_client()
    record = send(client, SINGLE, {"message": message, "phoneNumber": number})
    return client, record["id"]


def test_09991000004_ends_delivery_failed_and_a_plain_number_delivered() -> None:
    client = sms_app().test_client()
    failing, plain = send(
        client, BATCH, {"message": "Hi", "phoneNumbers": ["09991000004", "09121234567"]}
    )
    assert [failing["status"], plain["status"]] == [0, 0]
    advance(client, 5)
    assert (
        status(client, failing["id"])["statusText"],
        status(client, failing["id"])["price"],
    ) == (
        "DeliveryFailed",
        -14.0,
    )
    assert (status(client, plain["id"])["status"], status(client, plain["id"])["statusText"]) == (
        1,
        "Delivered",
    )


def test_the_default_timeline_waiting_until_2_s_check_ok_until_5_s_then_delivered() -> None:
    client, message_id = _single("09121234567")
    seen = []
    for _ in range(7):
        record = status(client, message_id)
        seen.append((record["status"], record["statusText"], record["price"]))
        advance(client, 1)
    assert seen == [
        (0, "Waiting", 0.0),
        (0, "Waiting", 0.0),
        (2, "CheckOk", -14.0),
        (2, "CheckOk", -14.0),
        (2, "CheckOk", -14.0),
        (1, "Delivered", -14.0),
        (1, "Delivered", -14.0),
    ]


@pytest.mark.parametrize(
    ("number", "final", "text", "price"),
    [
        ("09991000001", 1, "Delivered", -14.0),
        ("09991000004", 4, "DeliveryFailed", -14.0),
        ("09991000005", 5, "Blacklist", 0.0),
        ("09991000009", 9, "Error", 0.0),
        ("09991000010", 10, "CheckError", 0.0),
        ("09991000002", 1, "Delivered", -14.0),  # CHECK_OK is no final code: delivered
        ("09991000003", 1, "Delivered", -14.0),  # no code 3: delivered
        ("09991000000", 1, "Delivered", -14.0),
    ],
)
def test_every_magic_number_ends_in_its_code(
    number: str, final: int, text: str, price: float
) -> None:
    client, message_id = _single(number)
    advance(client, 86_400)
    record = status(client, message_id)
    assert (record["status"], record["statusText"], record["price"]) == (final, text, price)


@pytest.mark.parametrize("number", ["09991000005", "09991000009", "09991000010"])
def test_a_refusal_is_final_at_the_check_never_check_ok_never_charged(number: str) -> None:
    client, message_id = _single(number)
    advance(client, 1)
    assert status(client, message_id)["status"] == 0
    advance(client, 1)  # 2 s: checked, and refused
    final = status(client, message_id)
    assert final["status"] == int(number[-2:]) and final["price"] == 0.0
    advance(client, 10)
    assert status(client, message_id) == final


def test_an_otp_reaches_a_blacklisted_number() -> None:
    client = sms_app().test_client()
    otp = send(client, OTP, {"phoneNumber": "09991000005", "appName": "Bitel", "code": "1234"})
    plain = send(client, SINGLE, {"message": "Hi", "phoneNumber": "09991000005"})
    advance(client, 5)
    assert status(client, otp["id"])["statusText"] == "Delivered"
    assert status(client, plain["id"])["statusText"] == "Blacklist"


def test_an_otp_ends_in_any_other_refusal_as_asked() -> None:
    client = sms_app().test_client()
    otp = send(client, OTP, {"phoneNumber": "09991000010", "appName": "Bitel", "code": "1"})
    advance(client, 5)
    assert status(client, otp["id"])["statusText"] == "CheckError"


def test_a_template_message_follows_the_magic_number_too() -> None:
    client = sms_app().test_client()
    body = {"phoneNumber": "09991000009", "templateId": 1234, "params": ["a", "b", "c"]}
    record = send(client, TEMPLATE, body)
    advance(client, 5)
    assert status(client, record["id"])["statusText"] == "Error"


def test_the_price_is_per_part_at_14_toman() -> None:
    client, message_id = _single("09121234567", "x" * 161)  # two parts
    advance(client, 5)
    record = status(client, message_id)
    assert (record["partCount"], record["price"]) == (2, -28.0)


def test_the_request_date_stays_the_moment_of_acceptance() -> None:
    client, message_id = _single("09121234567")
    advance(client, 1000)
    assert status(client, message_id)["requestDate"] == START
