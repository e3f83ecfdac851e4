"""The SMS error codes: each raises its class from the method that meets it, with the answer
attached; the template codes share one base."""

from __future__ import annotations

import pytest

from bitel_mock.client import (
    APIError,
    AuthenticationError,
    BitelClient,
    InvalidGatewayError,
    InvalidRequestError,
    InvalidTemplateError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TemplateError,
    TemplateFormatError,
    TemplatePendingError,
)
from bitel_mock.client.errors import error_class
from tests.client.scripted import BASE_URL, FakeClock, envelope, scripted_session

C = "c" * 32
SENDS = {
    "single": lambda b: b.send_sms("09121234567", "hi", gateway_number="10007200"),
    "batch": lambda b: b.send_sms_batch(["09121234567"], "hi", gateway_number="10007200"),
    "p2p": lambda b: b.send_sms_p2p(["09121234567"], ["hi"], gateway_number="10007200"),
    "otp": lambda b: b.send_otp_sms("09121234567", "Bitel", "1234"),
    "template": lambda b: b.send_template_sms("09121234567", 1234, ["a"]),
    "status": lambda b: b.sms_status(C),
}


def raised(reply, send) -> APIError:
    session, adapter = scripted_session(reply)
    bitel = BitelClient(
        "t",
        base_url=BASE_URL,
        session=session,
        retry_policy=RetryPolicy(max_retries=0),
        clock=FakeClock(),
    )
    with pytest.raises(APIError) as caught:
        send(bitel)
    assert len(adapter.sent) == 1
    return caught.value


@pytest.mark.parametrize(
    ("method", "code", "cls"),
    [
        ("single", "InvalidRequest", InvalidRequestError),
        ("single", "InvalidGateway", InvalidGatewayError),
        ("batch", "InvalidRequest", InvalidRequestError),
        ("batch", "InvalidGateway", InvalidGatewayError),
        ("p2p", "InvalidRequest", InvalidRequestError),
        ("p2p", "InvalidGateway", InvalidGatewayError),
        ("otp", "InvalidRequest", InvalidRequestError),
        ("template", "InvalidRequest", InvalidRequestError),
        ("template", "InvalidTemplate", InvalidTemplateError),
        ("template", "TemplatePending", TemplatePendingError),
        ("template", "TemplateFormatError", TemplateFormatError),
    ],
)
def test_each_documented_400_code_raises_its_class(method: str, code: str, cls) -> None:
    error = raised(envelope(None, code, 400), SENDS[method])
    assert type(error) is cls
    assert (error.http_status, error.code) == (400, code)
    assert error.json_body == {"result": None, "error": code}
    assert str(error) == f"HTTP 400 {code}"


@pytest.mark.parametrize("method", sorted(SENDS))
@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (401, "Unauthorized", AuthenticationError),
        (404, "NotFound", NotFoundError),
        (429, "TooManyRequests", RateLimitError),
        (413, "PayloadTooLarge", APIError),
    ],
)
def test_the_shared_codes_raise_their_class_from_every_sms_method(
    method: str, status: int, code: str, cls
) -> None:
    error = raised(envelope(None, code, status), SENDS[method])
    assert type(error) is cls
    assert (error.http_status, error.code) == (status, code)


def test_an_unknown_message_is_not_found() -> None:
    error = raised(envelope(None, "NotFound", 404), SENDS["status"])
    assert isinstance(error, NotFoundError)


@pytest.mark.parametrize("status", [403, 409, 422])
@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("InvalidGateway", InvalidGatewayError),
        ("InvalidTemplate", InvalidTemplateError),
        ("TemplatePending", TemplatePendingError),
        ("TemplateFormatError", TemplateFormatError),
    ],
)
def test_within_4xx_the_sms_code_decides_since_the_vendor_gives_no_status(
    status: int, code: str, cls
) -> None:
    assert error_class(status, code) is cls


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (404, "InvalidTemplate", NotFoundError),
        (401, "InvalidGateway", AuthenticationError),
        (429, "TemplatePending", RateLimitError),
        (500, "TemplateFormatError", ServerError),
        (302, "InvalidGateway", APIError),
        (400, "InvalidTemplates", InvalidRequestError),
    ],
)
def test_statuses_with_a_meaning_of_their_own_win_over_the_sms_codes(
    status: int, code: str, cls
) -> None:
    assert error_class(status, code) is cls


def test_template_errors_share_one_base_under_api_error() -> None:
    for cls in (InvalidTemplateError, TemplatePendingError, TemplateFormatError):
        assert issubclass(cls, TemplateError)
    assert issubclass(TemplateError, APIError)
    assert issubclass(InvalidGatewayError, APIError)
    assert not issubclass(InvalidGatewayError, InvalidRequestError)
    assert not issubclass(TemplateError, InvalidRequestError)


@pytest.mark.parametrize("method", ["single", "batch", "p2p", "otp", "template"])
def test_a_5xx_after_a_send_says_the_messages_may_be_sent(method: str) -> None:
    error = raised(envelope(None, "InternalError", 500), SENDS[method])
    assert isinstance(error, ServerError)
    assert "could send them twice" in str(error)
    assert "place" not in str(error)


def test_a_5xx_of_the_status_method_claims_nothing_was_sent() -> None:
    error = raised(envelope(None, "InternalError", 500), SENDS["status"])
    assert "twice" not in str(error)
