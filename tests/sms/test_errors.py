"""Every error the SMS routes answer: its status, its code in the envelope, and nothing kept."""

from __future__ import annotations

from typing import Any

import pytest

from bitel_mock import contracts
from tests.conftest import AUTH, VOICE_ID
from tests.sms.steps import (
    BATCH,
    OTP,
    P2P,
    SEND_PATHS,
    SINGLE,
    STATUS,
    TEMPLATE,
    kept_messages,
    send,
    sms_app,
)

ERROR = contracts.validator("error-envelope")
NUMBER = "09121234567"


def _answer(path: str, body: Any, **settings: Any) -> tuple[int, str | None, int]:
    """(status, error code, messages kept) of one request to a fresh emulator."""
    app = sms_app(**settings)
    response = app.test_client().post(path, json=body, headers=AUTH)
    payload = response.get_json()
    ERROR.validate(payload)
    return response.status_code, payload["error"], len(kept_messages(app))


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        (
            SINGLE,
            {"message": "Hi", "phoneNumber": NUMBER, "gatewayNumber": "10007200"},
            "InvalidGateway",
        ),
        (BATCH, {"message": "Hi", "phoneNumbers": [NUMBER], "gatewayNumber": ""}, "InvalidGateway"),
        (
            P2P,
            {"messages": ["Hi"], "phoneNumbers": [NUMBER], "gatewayNumber": "1000990"},
            "InvalidGateway",
        ),
        (TEMPLATE, {"phoneNumber": NUMBER, "templateId": 999, "params": []}, "InvalidTemplate"),
        (TEMPLATE, {"phoneNumber": NUMBER, "templateId": -1, "params": []}, "InvalidTemplate"),
        (
            TEMPLATE,
            {"phoneNumber": NUMBER, "templateId": 1234, "params": ["Bitel", "is"]},
            "TemplateFormatError",
        ),
        (
            TEMPLATE,
            {"phoneNumber": NUMBER, "templateId": 1234, "params": ["a", "b", "c", "d"]},
            "TemplateFormatError",
        ),
        (
            TEMPLATE,
            {"phoneNumber": NUMBER, "templateId": 1234, "params": []},
            "TemplateFormatError",
        ),
        (SINGLE, {"message": "", "phoneNumber": NUMBER}, "InvalidRequest"),
        (SINGLE, {"message": "Hi", "phoneNumber": "9121234567"}, "InvalidRequest"),
        (SINGLE, {"message": "Hi", "phoneNumber": NUMBER, "gatewayNumber": None}, "InvalidRequest"),
        (
            SINGLE,
            {"message": "Hi", "phoneNumber": NUMBER, "gatewayNumber": 10009909},
            "InvalidRequest",
        ),
        (SINGLE, {"message": 5, "phoneNumber": NUMBER}, "InvalidRequest"),
        (SINGLE, {"phoneNumber": NUMBER}, "InvalidRequest"),
        (BATCH, {"message": "Hi", "phoneNumbers": []}, "InvalidRequest"),
        (BATCH, {"message": "Hi", "phoneNumbers": [NUMBER] * 101}, "InvalidRequest"),
        (BATCH, {"message": "Hi", "phoneNumbers": [NUMBER, "+989121234567"]}, "InvalidRequest"),
        (P2P, {"messages": ["a", "b"], "phoneNumbers": [NUMBER]}, "InvalidRequest"),
        (P2P, {"messages": ["a"], "phoneNumbers": [NUMBER, NUMBER]}, "InvalidRequest"),
        (P2P, {"messages": ["a", ""], "phoneNumbers": [NUMBER, NUMBER]}, "InvalidRequest"),
        (P2P, {"messages": ["a"] * 101, "phoneNumbers": [NUMBER] * 101}, "InvalidRequest"),
        (P2P, {"message": "a", "phoneNumbers": [NUMBER]}, "InvalidRequest"),
        (OTP, {"phoneNumber": NUMBER, "appName": "Bitel"}, "InvalidRequest"),
        (OTP, {"phoneNumber": NUMBER, "code": "1234"}, "InvalidRequest"),
        (OTP, {"phoneNumber": NUMBER, "appName": "", "code": "1234"}, "InvalidRequest"),
        (OTP, {"phoneNumber": NUMBER, "appName": "Bitel", "code": 1234}, "InvalidRequest"),
        (OTP, {"message": "Hi", "phoneNumber": NUMBER}, "InvalidRequest"),  # a PHP client's body
        (
            TEMPLATE,
            {"phoneNumber": NUMBER, "templateId": "1234", "params": ["a", "b", "c"]},
            "InvalidRequest",
        ),
        (
            TEMPLATE,
            {"phoneNumber": NUMBER, "templateId": 1234.5, "params": ["a", "b", "c"]},
            "InvalidRequest",
        ),
        (TEMPLATE, {"phoneNumber": NUMBER, "templateId": 2**31, "params": []}, "InvalidRequest"),
        (
            TEMPLATE,
            {"phoneNumber": NUMBER, "templateId": 1234, "params": ["a", "b", 3]},
            "InvalidRequest",
        ),
        (TEMPLATE, {"phoneNumber": NUMBER, "templateId": 1234}, "InvalidRequest"),
    ],
)
def test_a_refused_send_answers_its_code_with_400_and_keeps_nothing(
    path: str, body: Any, code: str
) -> None:
    assert _answer(path, body) == (400, code, 0)


@pytest.mark.parametrize("path", SEND_PATHS)
@pytest.mark.parametrize(
    "raw", [b"", b"not json", b"[1]", b'"text"', b"{'message': 'Hi'}", b"null"]
)
def test_a_body_that_is_no_json_object_is_invalid_request(path: str, raw: bytes) -> None:
    app = sms_app()
    response = app.test_client().post(path, data=raw, headers=AUTH, content_type="application/json")
    assert (response.status_code, response.get_json()) == (
        400,
        {"result": None, "error": "InvalidRequest"},
    )
    assert kept_messages(app) == []


def test_a_template_pending_review_is_template_pending() -> None:
    app = sms_app()
    client = app.test_client()
    assert (
        client.post(
            "/__admin/sms/templates", json={"id": 77, "text": "Hi {1}", "pending": True}
        ).status_code
        == 201
    )
    response = client.post(
        TEMPLATE, json={"phoneNumber": NUMBER, "templateId": 77, "params": ["x"]}, headers=AUTH
    )
    assert (response.status_code, response.get_json()) == (
        400,
        {"result": None, "error": "TemplatePending"},
    )
    assert kept_messages(app) == []


def test_a_number_in_no_accepted_form_is_invalid_phone_number_when_so_configured() -> None:
    body = {"message": "Hi", "phoneNumbers": [NUMBER, "12345"]}
    assert _answer(BATCH, body, invalid_number_error="InvalidPhoneNumber") == (
        400,
        "InvalidPhoneNumber",
        0,
    )


def test_a_bad_number_is_reported_before_a_bad_gateway_or_template() -> None:
    assert (
        _answer(SINGLE, {"message": "Hi", "phoneNumber": "1", "gatewayNumber": "1"})[1]
        == "InvalidRequest"
    )
    assert (
        _answer(TEMPLATE, {"phoneNumber": "1", "templateId": 999, "params": []})[1]
        == "InvalidRequest"
    )


def test_an_unknown_template_is_reported_before_its_params() -> None:
    assert (
        _answer(TEMPLATE, {"phoneNumber": NUMBER, "templateId": 999, "params": ["a"]})[1]
        == "InvalidTemplate"
    )


@pytest.mark.parametrize(
    "message_id", ["0" * 32, "nope", "5f0c4f3bd7a44f0b9a1a6c2b1e9d3f7a", "A" * 32]
)
def test_an_unknown_id_is_not_found(message_id: str) -> None:
    response = sms_app().test_client().get(STATUS + message_id, headers=AUTH)
    assert (response.status_code, response.get_json()) == (
        404,
        {"result": None, "error": "NotFound"},
    )


def test_a_call_is_no_message_and_a_message_no_call() -> None:
    client = sms_app().test_client()
    call = client.post(
        "/api/v2/voice/single", json={"phoneNumber": NUMBER, "voiceId": VOICE_ID}, headers=AUTH
    )
    message = send(client, SINGLE, {"message": "Hi", "phoneNumber": NUMBER})
    assert client.get(STATUS + call.get_json()["result"]["id"], headers=AUTH).status_code == 404
    assert client.get(f"/api/v2/voice/status/{message['id']}", headers=AUTH).status_code == 404


@pytest.mark.parametrize("path", SEND_PATHS)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dDp0"},
        {"Authorization": "Bearer wrong"},
    ],
)
def test_a_send_without_an_accepted_token_is_401_before_the_body_is_read(
    path: str, headers: dict[str, str]
) -> None:
    app = sms_app(tokens=frozenset({"test-token"}))
    response = app.test_client().post(
        path, data=b"not json", headers=headers, content_type="application/json"
    )
    assert (response.status_code, response.get_json()) == (
        401,
        {"result": None, "error": "Unauthorized"},
    )
    assert kept_messages(app) == []


def test_the_status_route_needs_a_token() -> None:
    response = sms_app().test_client().get(STATUS + "0" * 32)
    assert (response.status_code, response.get_json()) == (
        401,
        {"result": None, "error": "Unauthorized"},
    )


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        *[("GET", p, "POST") for p in SEND_PATHS],
        ("POST", STATUS + "x", "GET"),
        ("DELETE", SINGLE, "POST"),
    ],
)
def test_another_method_is_405_with_allow(method: str, path: str, allowed: str) -> None:
    response = sms_app().test_client().open(path, method=method, headers=AUTH)
    assert (response.status_code, response.get_json()) == (
        405,
        {"result": None, "error": "MethodNotAllowed"},
    )
    assert allowed in response.headers["Allow"]


def test_a_body_over_the_limit_is_413_and_keeps_nothing() -> None:
    app = sms_app(max_body_bytes=1000)
    response = app.test_client().post(
        SINGLE, json={"message": "x" * 1000, "phoneNumber": NUMBER}, headers=AUTH
    )
    assert (response.status_code, response.get_json()) == (
        413,
        {"result": None, "error": "PayloadTooLarge"},
    )
    assert kept_messages(app) == []


def test_an_unknown_sms_path_is_a_json_404() -> None:
    response = sms_app().test_client().post("/api/v2/sms/unknown", json={}, headers=AUTH)
    assert (response.status_code, response.get_json()) == (
        404,
        {"result": None, "error": "NotFound"},
    )
