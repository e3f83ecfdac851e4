"""Message records and SMS webhook events as the API sends them (docs: sms-spec, the vendor's
SMS pages): example builders and hypothesis strategies."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bitel_mock.client import SmsStatus

STATUS_TEXTS = {
    SmsStatus.WAITING: "Waiting",
    SmsStatus.DELIVERED: "Delivered",
    SmsStatus.CHECK_OK: "CheckOk",
    SmsStatus.DELIVERY_FAILED: "DeliveryFailed",
    SmsStatus.BLACKLIST: "Blacklist",
    SmsStatus.ERROR: "Error",
    SmsStatus.CHECK_ERROR: "CheckError",
}
LAST_DATE = 253_402_300_799
"""9999-12-31T23:59:59Z, the last Unix second the contract allows."""
PRICE_FLOOR = -1_000_000_000_000
FINAL_STATUSES = [status for status in SmsStatus if status.is_final]
CHARGED = frozenset({SmsStatus.DELIVERED, SmsStatus.CHECK_OK, SmsStatus.DELIVERY_FAILED})
"""Handed to the operator: only these records carry a price other than 0."""


def sms_record(message_id: str = "c" * 32, **extra: Any) -> dict[str, Any]:
    """A fresh record (the vendor's send sample, with the number unmasked)."""
    base = {
        "id": message_id,
        "gatewayNumber": "10009909",
        "phoneNumber": "09121234567",
        "message": "Hello from Bitel!",
        "requestDate": 1_564_573_464,
        "status": 0,
        "statusText": "Waiting",
        "partCount": 1,
        "price": 0.0,
    }
    return base | extra


def in_status(message_id: str, status: SmsStatus, **extra: Any) -> dict[str, Any]:
    """A record in `status`, charged -14.0 when the operator took it."""
    return sms_record(
        message_id,
        status=status.value,
        statusText=STATUS_TEXTS[status],
        price=-14.0 if status in CHARGED else 0.0,
        **extra,
    )


def sms_event(**extra: Any) -> dict[str, Any]:
    """A webhook event of a delivered single message."""
    base = {
        "requestId": "c" * 32,
        "batchId": None,
        "balanceSubtracted": 14.0,
        "cause": "DELIVERED",
        "smsCount": 1,
        "requestDate": 1_564_573_464,
        "deliveryStatus": 1,
    }
    return base | extra


hex_ids = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
dates = st.integers(min_value=0, max_value=LAST_DATE)
prices = st.integers(min_value=PRICE_FLOOR, max_value=0) | st.floats(
    min_value=PRICE_FLOOR, max_value=0, allow_nan=False, allow_infinity=False
)
gateways = st.text(alphabet="0123456789", min_size=1, max_size=15)


@st.composite
def sms_records(draw: st.DrawFn) -> dict[str, Any]:
    """Any record the contract allows (status and statusText always agree; a price only on a
    record the operator took)."""
    status = draw(st.sampled_from(SmsStatus))
    return {
        "id": draw(hex_ids),
        "gatewayNumber": draw(gateways),
        "phoneNumber": draw(st.text()),
        "message": draw(st.text(min_size=1)),
        "requestDate": draw(dates),
        "status": status.value,
        "statusText": STATUS_TEXTS[status],
        "partCount": draw(st.integers(min_value=1, max_value=10_000)),
        "price": draw(prices if status in CHARGED else st.sampled_from([0, 0.0, -0.0])),
    }


def sms_responses() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda r: {"result": r, "error": None}, sms_records())


def sms_batch_responses(max_size: int = 100) -> st.SearchStrategy[dict[str, Any]]:
    """Success envelopes of a batch; `max_size` below the contract's 100 keeps a test fast."""
    records = st.lists(sms_records(), min_size=1, max_size=max_size)
    return st.builds(lambda rs: {"result": rs, "error": None}, records)


@st.composite
def sms_events(draw: st.DrawFn) -> dict[str, Any]:
    """Any SMS webhook body the contract allows, sometimes with fields the vendor might add."""
    status = draw(st.sampled_from(FINAL_STATUSES))
    limit = -PRICE_FLOOR
    body = {
        "requestId": draw(hex_ids),
        "batchId": draw(st.none() | hex_ids),
        "balanceSubtracted": draw(
            st.integers(-limit, limit) | st.floats(-limit, limit, allow_nan=False)
        ),
        "cause": status.name,
        "smsCount": draw(st.integers(min_value=1, max_value=2**53)),
        "requestDate": draw(dates),
        "deliveryStatus": status.value,
    }
    extra = draw(
        st.dictionaries(st.text().filter(lambda k: k not in body), st.integers(), max_size=2)
    )
    return {**body, **extra}
