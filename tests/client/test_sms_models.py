"""SmsStatus and SmsRecord: the documented codes, and a strict reading of the record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bitel_mock.client import SmsRecord, SmsStatus
from bitel_mock.client.models import MalformedRecord
from tests.client.sms_data import sms_record


def test_statuses_carry_the_documented_codes() -> None:
    assert {s.name: s.value for s in SmsStatus} == {
        "WAITING": 0,
        "DELIVERED": 1,
        "CHECK_OK": 2,
        "DELIVERY_FAILED": 4,
        "BLACKLIST": 5,
        "ERROR": 9,
        "CHECK_ERROR": 10,
    }


def test_waiting_and_check_ok_are_the_only_statuses_not_final() -> None:
    assert [s for s in SmsStatus if not s.is_final] == [SmsStatus.WAITING, SmsStatus.CHECK_OK]


def test_the_documented_send_sample_is_read_field_for_field() -> None:
    record = SmsRecord.from_json(sms_record("3a1c" * 8))
    assert record == SmsRecord(
        id="3a1c" * 8,
        gateway_number="10009909",
        phone_number="09121234567",
        message="Hello from Bitel!",
        request_date=1_564_573_464,
        status=SmsStatus.WAITING,
        status_text="Waiting",
        part_count=1,
        price=0.0,
    )
    assert record.status_code == 0 and not record.is_final
    assert record.requested_at == datetime(2019, 7, 31, 11, 44, 24, tzinfo=UTC)


def test_a_charged_record_reads_its_negative_price_and_parts() -> None:
    record = SmsRecord.from_json(
        sms_record(status=4, statusText="DeliveryFailed", partCount=2, price=-28)
    )
    assert record.status is SmsStatus.DELIVERY_FAILED and record.is_final
    assert (record.part_count, record.price) == (2, -28.0)
    assert isinstance(record.price, float)


def test_the_status_text_is_kept_as_the_server_words_it() -> None:
    assert SmsRecord.from_json(sms_record(statusText="در انتظار")).status_text == "در انتظار"


def test_records_are_frozen() -> None:
    with pytest.raises(AttributeError):
        SmsRecord.from_json(sms_record()).price = 1.0  # type: ignore[misc]


def test_dates_beyond_year_9999_raise_value_error_on_access_only() -> None:
    far = SmsRecord.from_json(sms_record(requestDate=10**12))
    with pytest.raises(ValueError):
        _ = far.requested_at


@pytest.mark.parametrize(
    "broken",
    [
        sms_record(status=3),
        sms_record(status=-1),
        sms_record(status="WAITING"),
        sms_record(status=True),
        sms_record(statusText=0),
        sms_record(partCount=-1),
        sms_record(partCount=1.5),
        sms_record(price="0"),
        sms_record(price=None),
        sms_record(price=-(10**400)),
        sms_record(price=float("-inf")),
        sms_record(price=float("nan")),
        sms_record(requestDate="1564573464"),
        sms_record(gatewayNumber=10009909),
        sms_record(message=None),
        sms_record(id=None),
        *[{k: v for k, v in sms_record().items() if k != missing} for missing in sms_record()],
        [],
        "x",
        None,
    ],
)
def test_unreadable_records_are_refused(broken) -> None:
    with pytest.raises(MalformedRecord):
        SmsRecord.from_json(broken)


def test_a_missing_field_is_named() -> None:
    with pytest.raises(MalformedRecord, match="lacks partCount"):
        SmsRecord.from_json({k: v for k, v in sms_record().items() if k != "partCount"})
