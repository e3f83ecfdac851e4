"""The SMS part of the served contract: what a running emulator accepts, filled in.

Two rules of the SMS routes are beyond the contract's files: the lines the
emulator accepts (`--sms-gateway`), and the templates it knows with how many
params each takes. A third, that a p2p request's two arrays have the same
length, is beyond JSON Schema; the served document spells it out as one
branch per length. A generator such as schemathesis then never mistakes one
of them for a broken contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bitel_mock.domain.sms import MAX_NUMBERS
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.domain.sms_templates import PLACEHOLDER, placeholder_count
from bitel_mock.settings import Settings


def _template_branch(template: SmsTemplate) -> dict[str, Any]:
    count = placeholder_count(template.text)
    params: dict[str, Any] = {"minItems": count, "maxItems": count}
    if count and not PLACEHOLDER.sub("", template.text):  # only placeholders: no empty text
        params["contains"] = {"minLength": 1}
    return {"properties": {"templateId": {"const": template.id}, "params": params}}


def fill_sms(schemas: dict[str, Any], settings: Settings, templates: Sequence[SmsTemplate]) -> None:
    """Fill the SMS schemas of the API's document (bundled under `components/schemas`)."""
    schemas["SmsGatewayNumber"]["enum"] = sorted(settings.sms_gateways)
    schemas["SmsP2pRequest"]["anyOf"] = [
        {
            "properties": {
                key: {"minItems": size, "maxItems": size} for key in ("messages", "phoneNumbers")
            }
        }
        for size in range(1, MAX_NUMBERS + 1)
    ]
    usable = [template for template in templates if not template.pending]
    if usable:  # with none, every template request is refused: nothing to fill in
        request = schemas["SmsTemplateRequest"]
        request["properties"]["templateId"]["enum"] = sorted(template.id for template in usable)
        request["anyOf"] = [_template_branch(template) for template in usable]
