"""The document a running emulator serves fills in what its SMS routes accept: the lines, the
templates known now with their params, and p2p arrays of one length."""

from __future__ import annotations

from typing import Any

import jsonschema

from bitel_mock import contracts
from tests.sms.steps import sms_app


def _served(**settings: Any) -> tuple[Any, dict[str, Any]]:
    client = sms_app(**settings).test_client()
    return client, client.get("/__admin/openapi.json").get_json()


def _validator(spec: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    )


def test_the_lines_accepted_are_listed() -> None:
    _, spec = _served(sms_gateways=frozenset({"20001"}))
    assert spec["components"]["schemas"]["SmsGatewayNumber"]["enum"] == ["10009909", "20001"]
    assert "enum" not in contracts.openapi()["components"]["schemas"]["SmsGatewayNumber"]


def test_p2p_arrays_must_have_one_length() -> None:
    _, spec = _served()
    p2p = _validator(spec, "SmsP2pRequest")
    number = "09121234567"
    assert p2p.is_valid({"messages": ["a"] * 100, "phoneNumbers": [number] * 100})
    assert p2p.is_valid({"messages": ["a"], "phoneNumbers": [number]})
    assert not p2p.is_valid({"messages": ["a", "b"], "phoneNumbers": [number]})
    assert not p2p.is_valid({"messages": ["a"] * 99, "phoneNumbers": [number] * 100})


def test_the_templates_known_now_with_their_params_and_no_pending_one() -> None:
    client, spec = _served()
    template = _validator(spec, "SmsTemplateRequest")
    number = "09121234567"
    assert template.is_valid({"phoneNumber": number, "templateId": 1234, "params": ["a", "b", "c"]})
    assert not template.is_valid({"phoneNumber": number, "templateId": 1234, "params": ["a", "b"]})
    assert not template.is_valid({"phoneNumber": number, "templateId": 42, "params": []})
    client.post("/__admin/sms/templates", json={"id": 42, "text": "{1}"})
    client.post("/__admin/sms/templates", json={"id": 43, "text": "Hi {1}", "pending": True})
    spec = client.get("/__admin/openapi.json").get_json()
    template = _validator(spec, "SmsTemplateRequest")
    assert spec["components"]["schemas"]["SmsTemplateRequest"]["properties"]["templateId"][
        "enum"
    ] == [42, 1234]
    assert template.is_valid({"phoneNumber": number, "templateId": 42, "params": ["x"]})
    assert not template.is_valid(
        {"phoneNumber": number, "templateId": 42, "params": [""]}
    )  # an empty text
    assert not template.is_valid({"phoneNumber": number, "templateId": 43, "params": ["x"]})


def test_with_no_usable_template_the_template_request_is_left_as_written() -> None:
    client = sms_app().test_client()
    client.delete("/__admin/sms/templates/1234")
    spec = client.get("/__admin/openapi.json").get_json()
    assert (
        spec["components"]["schemas"]["SmsTemplateRequest"]
        == contracts.openapi()["components"]["schemas"]["SmsTemplateRequest"]
    )
