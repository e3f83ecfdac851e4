"""Every client method against the emulator, in-process and over a real socket."""

from __future__ import annotations

import pytest
from flask import Flask

from bitel_mock.app import create_app
from bitel_mock.client import (
    AuthenticationError,
    BatchIncompleteError,
    BitelClient,
    CallRecord,
    CallStatus,
    InvalidArgumentError,
    InvalidRequestError,
    InvalidServerError,
    NotFoundError,
    WaitTimeoutError,
)
from bitel_mock.settings import Settings
from bitel_mock.transport import in_process_session
from tests.client.scripted import FakeClock
from tests.conftest import VOICE_ID

NUMBERS = [f"0912{i:07d}" for i in range(3)]


def assert_waiting(record: CallRecord, number: str) -> None:
    assert record.phone_number == number
    assert record.status is CallStatus.WAITING
    assert not record.is_final
    assert record.executed_at is None
    assert record.price == 0.0
    assert len(record.id) == 32


def test_batch_call(bitel: BitelClient) -> None:
    records = bitel.batch_call(
        phone_numbers=NUMBERS, voice_id=VOICE_ID, retry_count=2, server_id="mirdamad1"
    )
    assert [r.phone_number for r in records] == NUMBERS
    for record, number in zip(records, NUMBERS, strict=True):
        assert_waiting(record, number)
    assert len({r.id for r in records}) == 3


def test_batch_tts_call(bitel: BitelClient) -> None:
    records = bitel.batch_tts_call(phone_numbers=NUMBERS, text="Your parcel has arrived")
    assert [r.phone_number for r in records] == NUMBERS


def test_single_call_normalises_the_number(bitel: BitelClient) -> None:
    record = bitel.single_call(phone_number="۰۹۱۲ ۱۲۳ ٤٥٦٧", voice_id=VOICE_ID)
    assert_waiting(record, "09121234567")


def test_tts_call(bitel: BitelClient) -> None:
    assert_waiting(
        bitel.tts_call(phone_number="09121234567", text="hello", retry_count=0), "09121234567"
    )


def test_otp_call(bitel: BitelClient) -> None:
    record = bitel.otp_call(
        phone_number="09121234567", code="12345", voice_id=VOICE_ID, repeat_count=3
    )
    assert_waiting(record, "09121234567")


def test_call_status_returns_the_placed_call(bitel: BitelClient) -> None:
    placed = bitel.single_call(phone_number="09121234567", voice_id=VOICE_ID)
    assert bitel.call_status(placed.id) == placed


def test_unknown_call_is_not_found(bitel: BitelClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        bitel.call_status("0" * 32)
    assert (caught.value.http_status, caught.value.code) == (404, "NotFound")
    assert caught.value.json_body == {"result": None, "error": "NotFound"}


def test_invalid_number_is_an_invalid_request(bitel: BitelClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        bitel.single_call(phone_number="12345", voice_id=VOICE_ID)
    assert (caught.value.http_status, caught.value.code) == (400, "InvalidRequest")


def test_unknown_server_is_invalid_server(bitel: BitelClient) -> None:
    with pytest.raises(InvalidServerError):
        bitel.tts_call(phone_number="09121234567", text="hi", server_id="nowhere")


def test_refused_token_is_an_authentication_error() -> None:
    app = create_app(Settings(tokens=frozenset({"the-right-one"})))
    with (
        BitelClient(
            "wrong", base_url="http://bitel.test", session=in_process_session(app)
        ) as bitel,
        pytest.raises(AuthenticationError) as caught,
    ):
        bitel.call_status("0" * 32)
    assert caught.value.http_status == 401


def test_more_than_100_numbers_are_refused_before_sending(bitel: BitelClient) -> None:
    numbers = [f"0912{i:07d}" for i in range(101)]
    with pytest.raises(InvalidArgumentError, match="at most 100"):
        bitel.batch_call(phone_numbers=numbers, voice_id=VOICE_ID)
    with pytest.raises(InvalidArgumentError, match="at most 100"):
        bitel.batch_tts_call(phone_numbers=numbers, text="hi")


@pytest.mark.parametrize("numbers", [[], "09121234567"])
def test_empty_or_string_batches_are_refused(bitel: BitelClient, numbers) -> None:
    with pytest.raises(InvalidArgumentError):
        bitel.batch_call(phone_numbers=numbers, voice_id=VOICE_ID)


def test_the_all_variants_refuse_one_string_instead_of_splitting_its_characters(
    bitel: BitelClient,
) -> None:
    with pytest.raises(InvalidArgumentError, match="not one string"):
        bitel.batch_call_all(phone_numbers="09121234567", voice_id=VOICE_ID)
    with pytest.raises(InvalidArgumentError, match="not one string"):
        bitel.batch_tts_call_all(phone_numbers="09121234567", text="hi")


def test_batch_call_all_splits_and_keeps_the_order(bitel: BitelClient) -> None:
    numbers = [f"0935{i:07d}" for i in range(250)]
    records = bitel.batch_call_all(phone_numbers=numbers, voice_id=VOICE_ID)
    assert [r.phone_number for r in records] == numbers
    assert len({r.id for r in records}) == 250
    assert bitel.call_status(records[-1].id) == records[-1]


def test_batch_tts_call_all_splits_and_keeps_the_order(bitel: BitelClient) -> None:
    numbers = [f"0936{i:07d}" for i in range(201)]
    records = bitel.batch_tts_call_all(phone_numbers=numbers, text="hi")
    assert [r.phone_number for r in records] == numbers


def test_batch_call_all_reports_what_was_placed_when_it_stops(bitel: BitelClient) -> None:
    numbers = [f"0912{i:07d}" for i in range(100)] + ["bad"] + [f"0913{i:07d}" for i in range(5)]
    with pytest.raises(BatchIncompleteError) as caught:
        bitel.batch_call_all(phone_numbers=numbers, voice_id=VOICE_ID)
    assert [r.phone_number for r in caught.value.placed] == numbers[:100]
    assert caught.value.unsent == numbers[100:]
    assert isinstance(caught.value.__cause__, InvalidRequestError)


def test_wait_for_final_times_out_on_waiting_calls(emulator: Flask) -> None:
    clock = FakeClock()
    with BitelClient(
        "t", base_url="http://bitel.test", session=in_process_session(emulator), clock=clock
    ) as bitel:
        placed = bitel.batch_call(phone_numbers=NUMBERS, voice_id=VOICE_ID)
        with pytest.raises(WaitTimeoutError) as caught:
            bitel.wait_for_final([r.id for r in placed], timeout=30, poll_interval=10)
    assert clock.sleeps == [10, 10, 10]
    assert caught.value.records == placed
