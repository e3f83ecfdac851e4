"""validate=True on the SMS methods: every success body is held to sms-response or
sms-batch-response, every error body to error-envelope."""

from __future__ import annotations

import pytest

from bitel_mock.client import (
    BitelClient,
    ContractViolationError,
    InvalidGatewayError,
    RetryPolicy,
)
from tests.client.scripted import BASE_URL, FakeClock, Reply, envelope, scripted_session
from tests.client.sms_data import sms_record


def client(*replies: Reply, validate: bool = True) -> BitelClient:
    session, _ = scripted_session(*replies)
    return BitelClient(
        "t",
        base_url=BASE_URL,
        session=session,
        validate=validate,
        retry_policy=RetryPolicy(max_retries=0),
        clock=FakeClock(),
    )


@pytest.mark.parametrize(
    ("record", "where"),
    [
        (sms_record(id="NOT-HEX"), "/result/id"),
        (sms_record(status=1, statusText="Waiting"), "/result"),
        (sms_record(price=-14.0), "/result"),  # charged while waiting
        (sms_record(partCount=0), "/result/partCount"),
        (sms_record(message=""), "/result/message"),
        (sms_record(price=0.5, status=1, statusText="Delivered"), "/result/price"),
        (sms_record(extra="field"), "/result"),
    ],
)
def test_a_record_breaking_the_contract_raises_naming_the_place(record, where: str) -> None:
    with pytest.raises(ContractViolationError) as caught:
        client(envelope(record)).sms_status("c" * 32)
    assert any(v.startswith(where) for v in caught.value.violations), caught.value.violations
    assert "sms-response" in str(caught.value)
    assert caught.value.http_status == 200


def test_the_same_loose_record_is_read_without_validation() -> None:
    record = client(envelope(sms_record(partCount=0)), validate=False).sms_status("c" * 32)
    assert record.part_count == 0


def test_a_batch_of_more_than_100_records_breaks_the_contract() -> None:
    body = envelope([sms_record()] * 101)
    with pytest.raises(ContractViolationError, match="sms-batch-response"):
        client(body).send_sms_batch(["09121234567"], "hi")


def test_a_p2p_answer_is_held_to_the_batch_response() -> None:
    with pytest.raises(ContractViolationError, match="sms-batch-response"):
        client(envelope([sms_record(status=7)])).send_sms_p2p(["09121234567"], ["hi"])


@pytest.mark.parametrize(
    "send",
    [
        lambda b: b.send_sms("09121234567", "hi"),
        lambda b: b.send_otp_sms("09121234567", "Bitel", "1"),
        lambda b: b.send_template_sms("09121234567", 1234, []),
    ],
    ids=["single", "otp", "template"],
)
def test_one_record_answers_are_held_to_the_single_response(send) -> None:
    with pytest.raises(ContractViolationError, match="sms-response"):
        send(client(envelope([sms_record()])))


def test_an_error_body_breaking_the_envelope_raises() -> None:
    broken = Reply(400, {"result": None, "error": {"code": "InvalidGateway"}})
    with pytest.raises(ContractViolationError, match="error-envelope"):
        client(broken).send_sms("09121234567", "hi", gateway_number="1")


def test_a_valid_error_envelope_still_raises_its_api_error() -> None:
    with pytest.raises(InvalidGatewayError):
        client(envelope(None, "InvalidGateway", 400)).send_sms("09121234567", "hi")
