"""validate=True: every response body is checked against the contract."""

from __future__ import annotations

import pytest

from bitel_mock.client import BitelClient, ContractViolationError, NotFoundError, RetryPolicy
from tests.client.scripted import BASE_URL, FakeClock, Reply, envelope, record, scripted_session
from tests.conftest import VOICE_ID


def client(*replies: Reply, validate: bool = True) -> BitelClient:
    session, _ = scripted_session(*replies)
    return BitelClient(
        "t",
        base_url=BASE_URL,
        session=session,
        validate=validate,
        retry_policy=RetryPolicy(max_retries=0),
        clock=FakeClock(),
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"result": record(id="NOT-HEX"), "error": None}, "/result/id"),
        ({"result": record(price=12.5), "error": None}, "/result/price"),
        ({"result": record(extra="field"), "error": None}, "/result"),
        ({"result": record(status="NORMAL", statusCode=0), "error": None}, "/result"),
        ({"result": record(), "error": None, "campaignId": "x"}, "/"),
    ],
)
def test_a_success_body_breaking_the_contract_raises_naming_the_place(body, where: str) -> None:
    with pytest.raises(ContractViolationError) as caught:
        client(Reply(200, body)).call_status("a" * 32)
    assert any(v.startswith(where) for v in caught.value.violations), caught.value.violations
    assert "call-response" in str(caught.value)
    assert caught.value.http_status == 200


def test_the_same_loose_body_is_accepted_without_validation() -> None:
    body = {"result": record(price=12.5), "error": None}
    assert client(Reply(200, body), validate=False).call_status("a" * 32).price == 12.5


def test_a_batch_of_more_than_100_records_breaks_the_contract() -> None:
    body = {"result": [record()] * 101, "error": None}
    with pytest.raises(ContractViolationError, match="batch-call-response"):
        client(Reply(200, body)).batch_call(phone_numbers=["09121234567"], voice_id=VOICE_ID)


def test_an_error_body_breaking_the_envelope_raises() -> None:
    with pytest.raises(ContractViolationError, match="error-envelope") as caught:
        client(Reply(404, {"result": None, "error": {"code": "NotFound"}})).call_status("a" * 32)
    assert caught.value.violations


def test_a_valid_error_envelope_still_raises_its_api_error() -> None:
    with pytest.raises(NotFoundError):
        client(envelope(None, "NotFound", 404)).call_status("a" * 32)
