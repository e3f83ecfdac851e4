"""Routes of the control plane that register, list and delete SMS templates."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from bitel_mock.admin.body import json_body
from bitel_mock.admin.numbers import parse_int
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.domain.sms_templates import (
    MAX_TEMPLATE_ID,
    MIN_TEMPLATE_ID,
    TemplateTextError,
    placeholder_count,
)
from bitel_mock.errors import AdminError
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator

blueprint = Blueprint("admin_sms_templates", __name__, url_prefix="/__admin/sms/templates")


def template_json(template: SmsTemplate) -> dict[str, Any]:
    return {
        "id": template.id,
        "text": template.text,
        "pending": template.pending,
        "placeholders": placeholder_count(template.text),
    }


@blueprint.post("")
def add_template() -> Response:
    body = json_body("admin-sms-template-request")
    template = SmsTemplate(body["id"], body["text"], bool(body.get("pending", False)))
    try:
        emulator().sms.templates.register(template)
    except TemplateTextError as exc:
        raise AdminError("InvalidRequest", str(exc)) from None
    return envelope.json_response(template_json(template), status=201)


@blueprint.get("")
def list_templates() -> Response:
    templates = emulator().sms.templates.all()
    return envelope.json_response(
        {"templates": [template_json(template) for template in templates]}
    )


@blueprint.delete("/<template_id>")
def delete_template(template_id: str) -> Response:
    number = parse_int("templateId", template_id, MIN_TEMPLATE_ID, MAX_TEMPLATE_ID)
    if not emulator().sms.templates.delete(number):
        raise AdminError("NotFound", f"no template has id {number}", 404)
    return envelope.json_response({"deleted": 1})
