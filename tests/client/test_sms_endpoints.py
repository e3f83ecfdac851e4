"""Every SMS method against a scripted transport: the request it sends (method, path, body
exactly), the records it returns, and what it refuses before sending anything."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bitel_mock.client import (
    BatchIncompleteError,
    BitelClient,
    InvalidArgumentError,
    InvalidRequestError,
    RetryPolicy,
    SmsRecord,
    SmsStatus,
)
from tests.client.scripted import BASE_URL, FakeClock, ScriptedAdapter, envelope, scripted_session
from tests.client.sms_data import sms_record

A, B, C = "a" * 32, "b" * 32, "c" * 32
NUMBERS = ["09121234567", "09361234567"]


def make(*replies) -> tuple[BitelClient, ScriptedAdapter]:
    session, adapter = scripted_session(*replies)
    bitel = BitelClient(
        "tok", base_url=BASE_URL, session=session, retry_policy=RetryPolicy(), clock=FakeClock()
    )
    return bitel, adapter


def sent(adapter: ScriptedAdapter, index: int = 0) -> tuple[str, str, Any]:
    """Method, path and decoded JSON body of a request the client sent."""
    request = adapter.sent[index]
    url = request.url or ""
    body = json.loads(request.body) if request.body else None
    return request.method or "", url.removeprefix(BASE_URL), body


def assert_fresh(record: SmsRecord, number: str, message_id: str = C) -> None:
    assert record.id == message_id
    assert record.phone_number == number
    assert record.gateway_number == "10009909"
    assert record.status is SmsStatus.WAITING and record.status_text == "Waiting"
    assert not record.is_final
    assert (record.part_count, record.price) == (1, 0.0)


# --- what each method sends and returns ------------------------------------------


def test_send_sms_posts_message_and_number_without_a_gateway_by_default() -> None:
    bitel, adapter = make(envelope(sms_record(message="Hi there")))
    record = bitel.send_sms("09121234567", "Hi there")
    assert sent(adapter) == (
        "POST",
        "/api/v2/sms/single",
        {"message": "Hi there", "phoneNumber": "09121234567"},
    )
    assert_fresh(record, "09121234567")
    assert record.message == "Hi there"


def test_send_sms_sends_the_gateway_it_is_given_and_normalises_the_number() -> None:
    bitel, adapter = make(envelope(sms_record()))
    bitel.send_sms("۰۹۱۲ ۱۲۳ ٤٥٦٧", "Hi there", gateway_number="10007200")
    assert sent(adapter)[2] == {
        "message": "Hi there",
        "phoneNumber": "09121234567",
        "gatewayNumber": "10007200",
    }


def test_every_request_carries_the_bearer_token_and_asks_for_json() -> None:
    bitel, adapter = make(envelope(sms_record()))
    bitel.send_sms("09121234567", "Hi")
    headers = adapter.sent[0].headers
    assert headers["Authorization"] == "Bearer tok"
    assert headers["Accept"] == "application/json"
    assert headers["Content-Type"] == "application/json"


def test_send_sms_batch_posts_one_text_for_every_number_and_keeps_the_order() -> None:
    answer = [sms_record(A, phoneNumber=NUMBERS[0]), sms_record(B, phoneNumber=NUMBERS[1])]
    bitel, adapter = make(envelope(answer))
    records = bitel.send_sms_batch(NUMBERS, "Hello", gateway_number="10009909")
    assert sent(adapter) == (
        "POST",
        "/api/v2/sms/batch",
        {"message": "Hello", "phoneNumbers": NUMBERS, "gatewayNumber": "10009909"},
    )
    assert [(r.id, r.phone_number) for r in records] == [(A, NUMBERS[0]), (B, NUMBERS[1])]


def test_send_sms_batch_without_a_gateway_sends_none() -> None:
    bitel, adapter = make(envelope([sms_record()]))
    bitel.send_sms_batch(["09121234567"], "Hello")
    assert sent(adapter)[2] == {"message": "Hello", "phoneNumbers": ["09121234567"]}


def test_send_sms_p2p_pairs_messages_with_numbers_in_order() -> None:
    answer = [
        sms_record(A, phoneNumber=NUMBERS[0], message="one"),
        sms_record(B, phoneNumber=NUMBERS[1], message="two"),
    ]
    bitel, adapter = make(envelope(answer))
    records = bitel.send_sms_p2p(NUMBERS, ["one", "two"])
    assert sent(adapter) == (
        "POST",
        "/api/v2/sms/batch/p2p",
        {"messages": ["one", "two"], "phoneNumbers": NUMBERS},
    )
    assert [(r.phone_number, r.message) for r in records] == [
        (NUMBERS[0], "one"),
        (NUMBERS[1], "two"),
    ]


def test_send_sms_p2p_sends_the_gateway_it_is_given() -> None:
    bitel, adapter = make(envelope([sms_record()]))
    bitel.send_sms_p2p(["09121234567"], ["one"], gateway_number="10007200")
    assert sent(adapter)[2]["gatewayNumber"] == "10007200"


def test_send_otp_sms_posts_app_name_and_code_and_returns_the_rendered_text() -> None:
    rendered = "به Bitel خوش آمدید\n کد یکبار مصرف  شما: 1234Ma"
    bitel, adapter = make(envelope(sms_record(message=rendered)))
    record = bitel.send_otp_sms("09121234567", "Bitel", "1234Ma")
    assert sent(adapter) == (
        "POST",
        "/api/v2/sms/otp",
        {"phoneNumber": "09121234567", "appName": "Bitel", "code": "1234Ma"},
    )
    assert record.message == rendered


def test_send_template_sms_posts_an_integer_id_and_the_params_in_order() -> None:
    bitel, adapter = make(envelope(sms_record(message="Truth: Bitel is awesome")))
    record = bitel.send_template_sms("09121234567", 1234, ("Bitel", "is", "awesome"))
    method, path, body = sent(adapter)
    assert (method, path) == ("POST", "/api/v2/sms/template")
    assert body == {
        "phoneNumber": "09121234567",
        "templateId": 1234,
        "params": ["Bitel", "is", "awesome"],
    }
    assert b'"templateId": 1234' in adapter.sent[0].body  # a JSON integer, not "1234"
    assert record.message == "Truth: Bitel is awesome"


def test_send_template_sms_takes_no_params_when_the_template_has_none() -> None:
    bitel, adapter = make(envelope(sms_record()))
    bitel.send_template_sms("09121234567", 7, [])
    assert sent(adapter)[2]["params"] == []


def test_sms_status_gets_the_record_of_one_message() -> None:
    delivered = sms_record(C, status=1, statusText="Delivered", price=-14.0)
    bitel, adapter = make(envelope(delivered))
    record = bitel.sms_status(C)
    assert sent(adapter) == ("GET", f"/api/v2/sms/status/{C}", None)
    assert record.status is SmsStatus.DELIVERED and record.is_final
    assert record.price == -14.0


# --- splitting ---------------------------------------------------------------


def batch_answer(numbers: list[str]) -> Any:
    return envelope([sms_record(f"{i:032x}", phoneNumber=n) for i, n in enumerate(numbers)])


def test_send_sms_batch_all_splits_into_requests_of_100_and_keeps_the_order() -> None:
    numbers = [f"0912{i:07d}" for i in range(250)]
    bitel, adapter = make(
        batch_answer(numbers[:100]), batch_answer(numbers[100:200]), batch_answer(numbers[200:])
    )
    records = bitel.send_sms_batch_all(iter(numbers), "Hello", gateway_number="10009909")
    assert [r.phone_number for r in records] == numbers
    bodies = [sent(adapter, i)[2] for i in range(3)]
    assert [body["phoneNumbers"] for body in bodies] == [
        numbers[:100],
        numbers[100:200],
        numbers[200:],
    ]
    assert {(b["message"], b["gatewayNumber"]) for b in bodies} == {("Hello", "10009909")}


def test_send_sms_batch_all_of_exactly_100_is_one_request() -> None:
    numbers = [f"0912{i:07d}" for i in range(100)]
    bitel, adapter = make(batch_answer(numbers))
    assert len(bitel.send_sms_batch_all(numbers, "Hello")) == 100
    assert len(adapter.sent) == 1


def test_send_sms_batch_all_stops_at_a_failed_request_naming_sent_and_unsent() -> None:
    numbers = [f"0912{i:07d}" for i in range(150)]
    bitel, adapter = make(batch_answer(numbers[:100]), envelope(None, "InvalidRequest", 400))
    with pytest.raises(BatchIncompleteError, match="sending 100 of 150 messages") as caught:
        bitel.send_sms_batch_all(numbers, "Hello")
    assert [r.phone_number for r in caught.value.placed] == numbers[:100]
    assert all(isinstance(r, SmsRecord) for r in caught.value.placed)
    assert caught.value.unsent == numbers[100:]
    assert isinstance(caught.value.__cause__, InvalidRequestError)
    assert len(adapter.sent) == 2


# --- refused before sending ------------------------------------------------------


def refused_before_sending(send) -> InvalidArgumentError:
    bitel, adapter = make()
    with pytest.raises(InvalidArgumentError) as caught:
        send(bitel)
    assert adapter.sent == []
    return caught.value


HUNDRED_AND_ONE = [f"0912{i:07d}" for i in range(101)]


@pytest.mark.parametrize(
    "send",
    [
        lambda b: b.send_sms_batch(HUNDRED_AND_ONE, "hi"),
        lambda b: b.send_sms_p2p(HUNDRED_AND_ONE, ["hi"] * 101),
    ],
    ids=["batch", "p2p"],
)
def test_more_than_100_numbers_are_refused(send) -> None:
    assert "at most 100" in str(refused_before_sending(send))


def test_the_batch_refusal_names_the_method_that_splits() -> None:
    error = refused_before_sending(lambda b: b.send_sms_batch(HUNDRED_AND_ONE, "hi"))
    assert "send_sms_batch_all" in str(error)


@pytest.mark.parametrize(
    "send",
    [
        lambda b: b.send_sms_batch([], "hi"),
        lambda b: b.send_sms_batch("09121234567", "hi"),
        lambda b: b.send_sms_batch_all([], "hi"),
        lambda b: b.send_sms_batch_all("09121234567", "hi"),
        lambda b: b.send_sms_p2p([], []),
        lambda b: b.send_sms_p2p("09121234567", ["hi"]),
        lambda b: b.send_sms_p2p(["09121234567"], "hi"),
    ],
    ids=[
        "batch-empty",
        "batch-string",
        "all-empty",
        "all-string",
        "p2p-empty",
        "p2p-string-numbers",
        "p2p-string-messages",
    ],
)
def test_empty_lists_and_lone_strings_are_refused(send) -> None:
    refused_before_sending(send)


@pytest.mark.parametrize(("numbers", "messages"), [(2, 1), (1, 2), (3, 0)])
def test_p2p_lists_of_different_lengths_are_refused(numbers: int, messages: int) -> None:
    error = refused_before_sending(
        lambda b: b.send_sms_p2p(NUMBERS[:1] * numbers, ["hi"] * messages)
    )
    assert f"{numbers} numbers and {messages} messages" in str(error)


@pytest.mark.parametrize("template_id", ["1234", 12.0, True, None])
def test_a_template_id_that_is_not_an_integer_is_refused(template_id) -> None:
    refused_before_sending(lambda b: b.send_template_sms("09121234567", template_id, ["x"]))


def test_params_given_as_one_string_are_refused() -> None:
    refused_before_sending(lambda b: b.send_template_sms("09121234567", 1234, "Bitel"))


@pytest.mark.parametrize("message_id", ["", "a/b", None, 7])
def test_sms_status_refuses_what_is_no_message_id(message_id) -> None:
    refused_before_sending(lambda b: b.sms_status(message_id))
