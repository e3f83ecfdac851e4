"""Hypothesis strategies for response bodies, written from contracts/schemas/call-record.json."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.client import CallStatus

_FIELDS = contracts.raw_schema("call-record")["properties"]


def _bounded_integers(name: str) -> st.SearchStrategy[int]:
    field = _FIELDS[name]
    return st.integers(min_value=field.get("minimum"), max_value=field.get("maximum"))


call_ids = st.from_regex(r"\A[0-9a-f]{32}\Z")
non_negative = st.integers(min_value=0)
dates = _bounded_integers("requestDate")
_PRICE_LOW, _PRICE_HIGH = _FIELDS["price"]["minimum"], _FIELDS["price"]["maximum"]
prices = st.integers(min_value=_PRICE_LOW, max_value=_PRICE_HIGH) | st.floats(
    min_value=_PRICE_LOW, max_value=_PRICE_HIGH, allow_nan=False, allow_infinity=False
)


@st.composite
def call_records(draw: st.DrawFn) -> dict[str, Any]:
    """Any record the contract allows (status and statusCode always agree)."""
    status = draw(st.sampled_from(CallStatus))
    return {
        "id": draw(call_ids),
        "phoneNumber": draw(st.text()),
        "status": status.name,
        "statusCode": status.value,
        "billSec": draw(non_negative),
        "requestDate": draw(dates),
        "executionDate": draw(dates),
        "price": draw(prices),
    }


def call_responses() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda r: {"result": r, "error": None}, call_records())


def batch_call_responses(max_size: int = 100) -> st.SearchStrategy[dict[str, Any]]:
    """Success envelopes of a batch; `max_size` below the contract's 100 keeps a test fast."""
    records = st.lists(call_records(), min_size=1, max_size=max_size)
    return st.builds(lambda rs: {"result": rs, "error": None}, records)


error_codes = st.sampled_from(
    [
        "InvalidRequest",
        "InvalidServer",
        "InvalidPhoneNumber",
        "Unauthorized",
        "NotFound",
        "MethodNotAllowed",
        "PayloadTooLarge",
        "TooManyRequests",
        "InternalError",
    ]
) | st.text(min_size=1)
error_statuses = st.integers(min_value=300, max_value=599)
