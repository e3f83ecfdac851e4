"""parse_sms_webhook: every body the contract allows becomes an event; nothing else does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.client import (
    BitelError,
    InvalidWebhookError,
    SmsStatus,
    SmsWebhookEvent,
    parse_sms_webhook,
    parse_voice_webhook,
)
from tests.client.sms_data import sms_event, sms_events

REQUIRED = [
    "requestId",
    "batchId",
    "balanceSubtracted",
    "cause",
    "smsCount",
    "requestDate",
    "deliveryStatus",
]


def encoded(body: dict[str, Any], form: str) -> bytes | str | dict[str, Any]:
    if form == "dict":
        return body
    text = json.dumps(body, ensure_ascii=form == "ascii")
    return text if form == "str" else text.encode("utf-8")


@given(body=sms_events())
def test_the_strategy_keeps_the_contract(body: dict[str, Any]) -> None:
    contracts.validator("sms-webhook-event").validate(body)


@given(body=sms_events(), form=st.sampled_from(["dict", "str", "bytes", "ascii"]))
def test_every_valid_event_is_parsed_field_for_field(body: dict[str, Any], form: str) -> None:
    event = parse_sms_webhook(encoded(body, form))
    assert isinstance(event, SmsWebhookEvent)
    assert (event.request_id, event.batch_id) == (body["requestId"], body["batchId"])
    assert event.cause is SmsStatus[body["cause"]] and event.cause.is_final
    assert event.delivery_status is event.cause
    assert event.delivery_status.value == body["deliveryStatus"]
    assert (event.sms_count, event.request_date) == (body["smsCount"], body["requestDate"])
    assert event.balance_subtracted == float(body["balanceSubtracted"])
    assert isinstance(event.balance_subtracted, float)


BAD_VALUES: dict[str, list[Any]] = {
    "requestId": ["", "A" * 32, "0" * 31, 123, None],
    "batchId": ["g" * 32, "0" * 33, "", 5, []],
    "balanceSubtracted": ["14.0", None, True, 10**13],
    "cause": ["WAITING", "CHECK_OK", "delivered", "NORMAL", 1, None],
    "smsCount": [-1, 1.5, "1", None, True],
    "requestDate": [-1, 253_402_300_800, "1700000000", 1.5, None],
    "deliveryStatus": [0, 2, 3, 11, "1", 1.5, None, True],
}


@given(
    body=sms_events(),
    broken=st.sampled_from(
        [(key, value) for key, values in BAD_VALUES.items() for value in values]
    ),
)
def test_a_field_of_the_wrong_kind_is_refused(
    body: dict[str, Any], broken: tuple[str, Any]
) -> None:
    key, value = broken
    with pytest.raises(InvalidWebhookError) as raised:
        parse_sms_webhook({**body, key: value})
    assert raised.value.violations


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, vs in BAD_VALUES.items() for v in vs])
def test_the_violation_names_the_field(key: str, value: Any) -> None:
    body = sms_event(batchId="b" * 32)
    if key == "deliveryStatus":
        body["cause"] = "ERROR"  # keep cause valid so that only the code is wrong
    with pytest.raises(InvalidWebhookError) as raised:
        parse_sms_webhook({**body, key: value})
    assert any(v.startswith(f"/{key}") for v in raised.value.violations), raised.value.violations


@given(body=sms_events(), missing=st.sampled_from(REQUIRED))
def test_a_missing_field_is_refused(body: dict[str, Any], missing: str) -> None:
    del body[missing]
    with pytest.raises(InvalidWebhookError, match=missing):
        parse_sms_webhook(json.dumps(body))


@given(
    cause=st.sampled_from([s for s in SmsStatus if s.is_final]),
    code=st.sampled_from([s for s in SmsStatus if s.is_final]),
)
def test_a_cause_that_is_not_the_delivery_status_is_refused(
    cause: SmsStatus, code: SmsStatus
) -> None:
    body = sms_event(cause=cause.name, deliveryStatus=code.value)
    if cause is code:
        assert parse_sms_webhook(body).cause is cause
    else:
        with pytest.raises(InvalidWebhookError):
            parse_sms_webhook(body)


@given(raw=st.binary())
def test_arbitrary_bytes_are_an_event_or_an_invalid_webhook_error(raw: bytes) -> None:
    try:
        event = parse_sms_webhook(raw)
    except InvalidWebhookError:
        return
    assert isinstance(event, SmsWebhookEvent)


@pytest.mark.parametrize(
    "raw", [b"", b"not json", b"[1, 2]", b'{"requestId": NaN}', b"\xff\xfe", "null", 7]
)
def test_bodies_that_are_no_event_are_a_bitel_error(raw: Any) -> None:
    with pytest.raises(BitelError):
        parse_sms_webhook(raw)


def test_a_voice_event_is_no_sms_event_and_the_other_way_round() -> None:
    voice = {
        "requestId": "08e815cbcd724386805103ac0d45e4c2",
        "campaignId": "3f2a9c6e1b7d48e0a5c4f1e2d3b6a7c8",
        "balanceSubtracted": 34.2,
        "cause": "NORMAL",
        "billSec": 12,
        "number": "09124986385",
        "requestDate": 1564645830,
    }
    with pytest.raises(InvalidWebhookError):
        parse_sms_webhook(voice)
    with pytest.raises(InvalidWebhookError):
        parse_voice_webhook(sms_event())


def test_an_event_of_a_batch_message_as_the_emulator_sends_it() -> None:
    sample = sms_event(
        requestId="3a1c" * 8,
        batchId="9f3e" * 8,
        balanceSubtracted=28.0,
        cause="DELIVERY_FAILED",
        smsCount=2,
        deliveryStatus=4,
    )
    event = parse_sms_webhook(json.dumps(sample).encode())
    assert event == SmsWebhookEvent(
        request_id="3a1c" * 8,
        batch_id="9f3e" * 8,
        balance_subtracted=28.0,
        cause=SmsStatus.DELIVERY_FAILED,
        sms_count=2,
        request_date=1_564_573_464,
        delivery_status=SmsStatus.DELIVERY_FAILED,
    )
    assert event.requested_at.year == 2019


def test_a_single_message_has_no_batch() -> None:
    assert parse_sms_webhook(sms_event()).batch_id is None
