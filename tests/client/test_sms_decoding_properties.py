"""For any answer to an SMS method: the right records from what the contract allows, the right
exception for an error envelope, and an APIError (never another exception) for anything else."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.client import (
    APIError,
    BitelClient,
    BitelError,
    ContractViolationError,
    RateLimitError,
    RetryPolicy,
    SmsRecord,
    SmsStatus,
)
from bitel_mock.client.errors import error_class
from tests.client.scripted import BASE_URL, FakeClock, Reply, scripted_session
from tests.client.sms_data import sms_batch_responses, sms_record, sms_responses
from tests.client.strategies import error_statuses

SMS_ERROR_CODES = st.sampled_from(
    [
        "InvalidRequest",
        "InvalidGateway",
        "InvalidTemplate",
        "TemplatePending",
        "TemplateFormatError",
        "Unauthorized",
        "NotFound",
        "TooManyRequests",
        "InternalError",
    ]
) | st.text(min_size=1)
ONE_RECORD = {
    "single": lambda b: [b.send_sms("09121234567", "hi")],
    "otp": lambda b: [b.send_otp_sms("09121234567", "Bitel", "1234")],
    "template": lambda b: [b.send_template_sms("09121234567", 1234, ["a"])],
    "status": lambda b: [b.sms_status("c" * 32)],
}
MANY_RECORDS = {
    "batch": lambda b: b.send_sms_batch(["09121234567"], "hi"),
    "p2p": lambda b: b.send_sms_p2p(["09121234567"], ["hi"]),
}


def client_answering(reply: Reply, *, validate: bool = False) -> BitelClient:
    session, _ = scripted_session(reply)
    return BitelClient(
        "t",
        base_url=BASE_URL,
        session=session,
        retry_policy=RetryPolicy(max_retries=0),
        clock=FakeClock(),
        validate=validate,
    )


def expected_record(raw: dict[str, Any]) -> SmsRecord:
    return SmsRecord(
        id=raw["id"],
        gateway_number=raw["gatewayNumber"],
        phone_number=raw["phoneNumber"],
        message=raw["message"],
        request_date=raw["requestDate"],
        status=SmsStatus(raw["status"]),
        status_text=raw["statusText"],
        part_count=raw["partCount"],
        price=float(raw["price"]),
    )


@given(body=sms_responses(), method=st.sampled_from(sorted(ONE_RECORD)))
def test_any_readable_record_becomes_the_right_model(body: dict[str, Any], method: str) -> None:
    [record] = ONE_RECORD[method](client_answering(Reply(200, body)))
    raw = body["result"]
    assert record == expected_record(raw)
    assert record.status_code == raw["status"]
    assert record.is_final is (raw["status"] not in (0, 2))


@given(body=sms_batch_responses(max_size=10), method=st.sampled_from(sorted(MANY_RECORDS)))
def test_any_readable_batch_becomes_the_right_models_in_order(
    body: dict[str, Any], method: str
) -> None:
    records = MANY_RECORDS[method](client_answering(Reply(200, body)))
    assert records == [expected_record(raw) for raw in body["result"]]


@given(body=sms_responses(), method=st.sampled_from(sorted(ONE_RECORD)))
def test_any_contract_valid_record_passes_validation(body: dict[str, Any], method: str) -> None:
    contracts.validator("sms-response").validate(body)  # the strategy keeps the contract
    [record] = ONE_RECORD[method](client_answering(Reply(200, body), validate=True))
    assert record == expected_record(body["result"])


@given(body=sms_batch_responses(max_size=10), method=st.sampled_from(sorted(MANY_RECORDS)))
def test_any_contract_valid_batch_passes_validation(body: dict[str, Any], method: str) -> None:
    contracts.validator("sms-batch-response").validate(body)
    records = MANY_RECORDS[method](client_answering(Reply(200, body), validate=True))
    assert records == [expected_record(raw) for raw in body["result"]]


@given(
    status=error_statuses,
    code=SMS_ERROR_CODES,
    method=st.sampled_from(sorted(ONE_RECORD | MANY_RECORDS)),
    retry_after=st.none() | st.integers(0, 10**6),
)
def test_any_error_envelope_raises_the_class_of_its_status_and_code(
    status: int, code: str, method: str, retry_after: int | None
) -> None:
    body = {"result": None, "error": code}
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    send = (ONE_RECORD | MANY_RECORDS)[method]
    with pytest.raises(APIError) as caught:
        send(client_answering(Reply(status, body, headers)))
    error = caught.value
    assert type(error) is error_class(status, code)
    assert (error.http_status, error.code, error.json_body) == (status, code, body)
    if isinstance(error, RateLimitError):
        assert error.retry_after == (None if retry_after is None else float(retry_after))


@given(status=st.integers(100, 599), content=st.binary(), validate=st.booleans())
def test_arbitrary_bytes_raise_an_api_error_and_nothing_else(
    status: int, content: bytes, validate: bool
) -> None:
    bitel = client_answering(
        Reply(status, content, {"Content-Type": "text/html"}), validate=validate
    )
    with pytest.raises(BitelError) as caught:
        bitel.send_sms_batch(["09121234567"], "hi")
    assert isinstance(caught.value, APIError | ContractViolationError)
    if not validate:
        assert isinstance(caught.value, APIError)
    assert caught.value.http_status == status


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
damaged_records = st.builds(
    lambda record, changes: record | changes,
    st.just(sms_record()),
    st.dictionaries(st.sampled_from(sorted(sms_record())), json_values, max_size=3),
)
near_envelopes = st.fixed_dictionaries(
    {"result": json_values | damaged_records, "error": st.none() | json_values}
) | st.fixed_dictionaries(
    {"result": st.lists(json_values | damaged_records, max_size=3), "error": st.none()}
)


@given(status=st.integers(100, 599), body=json_values | near_envelopes, many=st.booleans())
def test_arbitrary_json_raises_an_api_error_unless_it_is_a_readable_answer(
    status: int, body: Any, many: bool
) -> None:
    bitel = client_answering(Reply(status, json.dumps(body).encode()))
    try:
        if many:
            records = bitel.send_sms_batch(["09121234567"], "hi")
        else:
            records = [bitel.sms_status("c" * 32)]
    except APIError as error:
        assert error.http_status == status
        assert error.body == json.dumps(body)
    else:  # only a success envelope of readable records gets here
        assert status == 200 and body["error"] is None
        raw = body["result"] if many else [body["result"]]
        assert records == [expected_record(item) for item in raw]


def test_a_single_record_where_a_list_is_due_is_an_api_error() -> None:
    with pytest.raises(APIError, match="non-empty list of message records"):
        client_answering(Reply(200, {"result": sms_record(), "error": None})).send_sms_batch(
            ["09121234567"], "hi"
        )
