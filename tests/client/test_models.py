"""CallStatus, CallRecord and number normalisation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.client import CallRecord, CallStatus, normalize_number
from bitel_mock.client.models import MalformedRecord
from tests.client.scripted import record

PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


def test_statuses_carry_the_documented_codes() -> None:
    assert {s.name: s.value for s in CallStatus} == {
        "WAITING": 0,
        "NORMAL": 1,
        "NO_ANSWER": 2,
        "USER_BUSY": 3,
        "EXPIRED": 10,
        "ERROR": 11,
        "UNKNOWN": 20,
    }


def test_only_waiting_is_not_final() -> None:
    assert [s for s in CallStatus if not s.is_final] == [CallStatus.WAITING]


def test_the_documented_finished_sample() -> None:
    finished = CallRecord.from_json(
        record(
            status="NORMAL",
            statusCode=1,
            billSec=12,
            requestDate=1564643999,
            executionDate=1564645842,
            price=-34.2,
        )
    )
    assert finished.is_final
    assert finished.requested_at == datetime(2019, 8, 1, 7, 19, 59, tzinfo=UTC)
    assert finished.executed_at == datetime(2019, 8, 1, 7, 50, 42, tzinfo=UTC)
    assert finished.executed_at.tzinfo is UTC
    assert finished.price == -34.2


def test_execution_date_zero_is_no_datetime() -> None:
    assert CallRecord.from_json(record(executionDate=0)).executed_at is None


def test_records_are_frozen() -> None:
    with pytest.raises(AttributeError):
        CallRecord.from_json(record()).price = 1.0  # type: ignore[misc]


def test_dates_beyond_year_9999_raise_value_error_on_access_only() -> None:
    far = CallRecord.from_json(record(requestDate=10**12))
    with pytest.raises(ValueError):
        _ = far.requested_at


@pytest.mark.parametrize(
    "broken",
    [
        record(status="NORMAL"),
        record(statusCode=7),
        record(billSec=-1),
        record(price="0"),
        record(requestDate=True),
        record(price=-(10**400)),
        {k: v for k, v in record().items() if k != "id"},
        [],
        "x",
    ],
)
def test_unreadable_records_are_refused(broken) -> None:
    with pytest.raises(MalformedRecord):
        CallRecord.from_json(broken)


@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=14), data=st.data())
def test_persian_and_arabic_digits_and_spaces_normalise_to_the_ascii_number(
    digits: str, data: st.DataObject
) -> None:
    written = ""
    for d in digits:
        written += data.draw(st.sampled_from([d, PERSIAN[int(d)], ARABIC_INDIC[int(d)]]))
        written += data.draw(st.sampled_from(["", "", " ", "\t", "\u00a0"]))
    assert normalize_number(written) == digits


def test_normalisation_changes_nothing_else() -> None:
    assert normalize_number("+98 912-123") == "+98912-123"
