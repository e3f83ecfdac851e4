"""Routes of the control plane that show SMS messages with their plans and records."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from bitel_mock.admin.calls_routes import DEFAULT_LIMIT, MAX_LIMIT, int_arg
from bitel_mock.admin.projects import project_arg
from bitel_mock.domain.sms_model import Message, SmsRecord, SmsStatus
from bitel_mock.errors import AdminError
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator

blueprint = Blueprint("admin_sms_messages", __name__, url_prefix="/__admin/sms/messages")


def message_json(message: Message, record: SmsRecord) -> dict[str, Any]:
    return {
        "id": message.id,
        "phoneNumber": message.phone_number,
        "localNumber": message.local_number,
        "kind": message.kind.value,
        "gatewayNumber": message.gateway_number,
        "text": message.text,
        "requestDate": message.request_date,
        "partCount": message.part_count,
        "batchId": message.batch_id,
        "templateId": message.template_id,
        "project": message.owner,
        "plan": {
            "outcome": message.plan.outcome.name,
            "checkedAt": message.plan.checked_at,
            "finalAt": message.plan.final_at,
            "price": message.plan.price,
        },
        "record": record.to_wire(),
    }


def _status_arg() -> SmsStatus | None:
    name = request.args.get("status")
    if name is None:
        return None
    try:
        return SmsStatus[name]
    except KeyError:
        known = ", ".join(s.name for s in SmsStatus)
        raise AdminError("InvalidRequest", f"status must be one of {known}") from None


@blueprint.get("")
def list_messages() -> Response:
    """Messages with their plan and current record, newest first: filters number, status and
    project; `limit` and `offset`."""
    status = _status_arg()
    limit = int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0)
    found = emulator().sms.list(number=request.args.get("number"), status=status, project=project_arg())
    page = found[offset : offset + limit]
    return envelope.json_response(
        {"total": len(found), "messages": [message_json(message, record) for message, record in page]}
    )
