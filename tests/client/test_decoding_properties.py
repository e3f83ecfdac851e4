"""For any answer: the right models from what the contract allows, the right exception for an
error envelope, and an APIError (never another exception type) for anything else."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.client import (
    APIError,
    AuthenticationError,
    BitelClient,
    BitelError,
    CallRecord,
    CallStatus,
    ContractViolationError,
    InvalidPhoneNumberError,
    InvalidRequestError,
    InvalidServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from bitel_mock.client.errors import error_class
from tests.client.scripted import BASE_URL, FakeClock, Reply, record, scripted_session
from tests.client.strategies import (
    batch_call_responses,
    call_responses,
    error_codes,
    error_statuses,
)
from tests.conftest import VOICE_ID

NEVER_RETRY = RetryPolicy(max_retries=0)


def client_answering(reply: Reply, *, validate: bool = False) -> BitelClient:
    session, _ = scripted_session(reply)
    return BitelClient(
        "t",
        base_url=BASE_URL,
        session=session,
        retry_policy=NEVER_RETRY,
        clock=FakeClock(),
        validate=validate,
    )


def expected_record(raw: dict[str, Any]) -> CallRecord:
    return CallRecord(
        id=raw["id"],
        phone_number=raw["phoneNumber"],
        status=CallStatus[raw["status"]],
        bill_sec=raw["billSec"],
        request_date=raw["requestDate"],
        execution_date=raw["executionDate"],
        price=float(raw["price"]),
    )


@given(body=call_responses(), validate=st.booleans())
def test_any_contract_valid_record_becomes_the_right_model(
    body: dict[str, Any], validate: bool
) -> None:
    contracts.validator("call-response").validate(body)  # the strategy keeps the contract
    record = client_answering(Reply(200, body), validate=validate).call_status("a" * 32)
    raw = body["result"]
    assert record == expected_record(raw)
    assert record.status_code == raw["statusCode"]
    assert record.is_final is (raw["status"] != "WAITING")


@given(body=batch_call_responses(max_size=10), validate=st.booleans())
def test_any_contract_valid_batch_becomes_the_right_models_in_order(
    body: dict[str, Any], validate: bool
) -> None:
    contracts.validator("batch-call-response").validate(body)
    records = client_answering(Reply(200, body), validate=validate).batch_call(
        phone_numbers=["09121234567"], voice_id=VOICE_ID
    )
    assert records == [expected_record(raw) for raw in body["result"]]


@given(
    status=error_statuses,
    code=error_codes,
    validate=st.booleans(),
    retry_after=st.none() | st.integers(0, 10**6),
)
def test_any_error_envelope_raises_the_class_of_its_status_and_code(
    status: int, code: str, validate: bool, retry_after: int | None
) -> None:
    body = {"result": None, "error": code}
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    with pytest.raises(APIError) as caught:
        client_answering(Reply(status, body, headers), validate=validate).call_status("a" * 32)
    error = caught.value
    assert type(error) is error_class(status, code)
    assert (error.http_status, error.code, error.json_body) == (status, code, body)
    assert json.loads(error.body) == body
    assert error.headers.get("Retry-After") == headers.get("Retry-After")
    if isinstance(error, RateLimitError):
        assert error.retry_after == (None if retry_after is None else float(retry_after))


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "InvalidRequest", InvalidRequestError),
        (400, "InvalidPhoneNumber", InvalidPhoneNumberError),
        (400, "InvalidServer", InvalidServerError),
        (401, "Unauthorized", AuthenticationError),
        (404, "NotFound", NotFoundError),
        (405, "MethodNotAllowed", APIError),
        (413, "PayloadTooLarge", APIError),
        (429, "TooManyRequests", RateLimitError),
        (500, "InternalError", ServerError),
        (503, None, ServerError),
        (302, None, APIError),
    ],
)
def test_the_error_table(status: int, code: str | None, cls: type[APIError]) -> None:
    assert error_class(status, code) is cls


def test_a_full_batch_of_100_records_is_read_in_order() -> None:
    body = {"result": [record(f"{i:032x}") for i in range(100)], "error": None}
    records = client_answering(Reply(200, body), validate=True).batch_call(
        phone_numbers=["09121234567"], voice_id=VOICE_ID
    )
    assert [r.id for r in records] == [f"{i:032x}" for i in range(100)]


def test_invalid_phone_number_is_also_an_invalid_request() -> None:
    assert issubclass(InvalidPhoneNumberError, InvalidRequestError)


@given(status=st.integers(100, 599), content=st.binary(), validate=st.booleans())
def test_arbitrary_bytes_raise_an_api_error_and_nothing_else(
    status: int, content: bytes, validate: bool
) -> None:
    bitel = client_answering(
        Reply(status, content, {"Content-Type": "text/html"}), validate=validate
    )
    with pytest.raises(BitelError) as caught:
        bitel.batch_call(phone_numbers=["09121234567"], voice_id=VOICE_ID)
    assert isinstance(caught.value, APIError | ContractViolationError)
    if not validate:
        assert isinstance(caught.value, APIError)
    assert caught.value.http_status == status


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
near_envelopes = st.fixed_dictionaries(
    {"result": json_values, "error": st.none() | json_values}
) | st.fixed_dictionaries(
    {
        "result": st.lists(
            json_values
            | st.dictionaries(
                st.sampled_from(["id", "status", "statusCode", "price"]), json_values
            ),
            max_size=3,
        ),
        "error": st.none(),
    }
)


@given(status=st.integers(100, 599), body=json_values | near_envelopes)
def test_arbitrary_json_raises_an_api_error_unless_it_is_a_valid_answer(
    status: int, body: Any
) -> None:
    bitel = client_answering(Reply(status, json.dumps(body).encode()))
    try:
        records = bitel.batch_call(phone_numbers=["09121234567"], voice_id=VOICE_ID)
    except APIError as error:
        assert error.http_status == status
        assert error.body == json.dumps(body)
    else:  # only a success envelope of readable records gets here
        assert status == 200 and body["error"] is None and len(records) == len(body["result"])


def test_an_html_page_from_a_proxy_is_an_api_error_with_the_raw_text() -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    with pytest.raises(ServerError) as caught:
        client_answering(Reply(502, page, {"Content-Type": "text/html"})).call_status("a" * 32)
    assert caught.value.body == page
    assert caught.value.code is None
    assert "502 Bad Gateway" in str(caught.value)
