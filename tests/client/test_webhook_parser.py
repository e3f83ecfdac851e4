"""The client's webhook parser: every body the contract allows becomes an event; nothing else does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.client import (
    BitelError,
    CallStatus,
    InvalidWebhookError,
    VoiceWebhookEvent,
    parse_voice_webhook,
)

HEX32 = st.from_regex(r"\A[0-9a-f]{32}\Z")
FINAL = [status.name for status in CallStatus if status.is_final]
REQUIRED = [
    "requestId",
    "campaignId",
    "balanceSubtracted",
    "cause",
    "billSec",
    "number",
    "requestDate",
]
LIMIT = 1_000_000_000_000


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    """Any body the contract allows, sometimes with fields the vendor might add."""
    body = {
        "requestId": draw(HEX32),
        "campaignId": draw(HEX32),
        "balanceSubtracted": draw(
            st.integers(-LIMIT, LIMIT) | st.floats(-LIMIT, LIMIT, allow_nan=False)
        ),
        "cause": draw(st.sampled_from(FINAL)),
        "billSec": draw(st.integers(min_value=0, max_value=2**53)),
        "number": draw(st.text()),
        "requestDate": draw(st.integers(0, 253_402_300_799)),
    }
    extra = draw(
        st.dictionaries(st.text().filter(lambda k: k not in body), st.integers(), max_size=2)
    )
    return {**body, **extra}


def encoded(body: dict[str, Any], form: str) -> bytes | str | dict[str, Any]:
    if form == "dict":
        return body
    text = json.dumps(body, ensure_ascii=form == "ascii")
    return text if form == "str" else text.encode("utf-8")


@given(body=events(), form=st.sampled_from(["dict", "str", "bytes", "ascii"]))
def test_every_valid_event_is_parsed_field_for_field(body: dict[str, Any], form: str) -> None:
    contracts.validator("voice-webhook-event").validate(body)  # the strategy keeps the contract
    event = parse_voice_webhook(encoded(body, form))
    assert isinstance(event, VoiceWebhookEvent)
    assert (event.request_id, event.campaign_id, event.number) == (
        body["requestId"],
        body["campaignId"],
        body["number"],
    )
    assert event.cause is CallStatus[body["cause"]] and event.cause.is_final
    assert (event.bill_sec, event.request_date) == (body["billSec"], body["requestDate"])
    assert event.balance_subtracted == float(body["balanceSubtracted"])


BAD_VALUES: dict[str, list[Any]] = {
    "requestId": ["", "A" * 32, "0" * 31, 123, None],
    "campaignId": ["g" * 32, "0" * 33, None],
    "balanceSubtracted": ["57.0", None, True, 10**13],
    "cause": ["WAITING", "normal", 1, None],
    "billSec": [-1, 1.5, "20", None, True],
    "number": [9121234567, None],
    "requestDate": [-1, 253_402_300_800, "1700000000", 1.5],
}


@given(
    body=events(),
    broken=st.sampled_from(
        [(key, value) for key, values in BAD_VALUES.items() for value in values]
    ),
)
def test_a_field_of_the_wrong_kind_is_refused(
    body: dict[str, Any], broken: tuple[str, Any]
) -> None:
    key, value = broken
    with pytest.raises(InvalidWebhookError) as raised:
        parse_voice_webhook({**body, key: value})
    assert any(v.startswith(f"/{key}:") for v in raised.value.violations)


@given(body=events(), missing=st.sampled_from(REQUIRED))
def test_a_missing_field_is_refused(body: dict[str, Any], missing: str) -> None:
    del body[missing]
    with pytest.raises(InvalidWebhookError, match=missing):
        parse_voice_webhook(json.dumps(body))


@given(raw=st.binary())
def test_arbitrary_bytes_are_an_event_or_an_invalid_webhook_error(raw: bytes) -> None:
    try:
        event = parse_voice_webhook(raw)
    except InvalidWebhookError:
        return
    assert isinstance(event, VoiceWebhookEvent)


@pytest.mark.parametrize(
    "raw", [b"", b"not json", b"[1, 2]", b'{"requestId": NaN}', b"\xff\xfe", "null"]
)
def test_bodies_that_are_no_event_are_a_bitel_error(raw: bytes | str) -> None:
    with pytest.raises(BitelError):
        parse_voice_webhook(raw)


def test_an_emitted_sample_parses() -> None:
    sample = {
        "requestId": "08e815cbcd724386805103ac0d45e4c2",
        "campaignId": "3f2a9c6e1b7d48e0a5c4f1e2d3b6a7c8",
        "balanceSubtracted": 34.2,
        "cause": "NORMAL",
        "billSec": 12,
        "number": "09124986385",
        "requestDate": 1564645830,
    }
    event = parse_voice_webhook(json.dumps(sample).encode())
    assert event.requested_at.year == 2019 and event.balance_subtracted == 34.2
