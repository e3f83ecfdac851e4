"""Routes of the control plane that show calls with their plans and records."""

from __future__ import annotations

from flask import Blueprint, Response, request

from bitel_mock.admin.numbers import MAX_INTEGER, query_int
from bitel_mock.admin.projects import project_arg
from bitel_mock.admin.views import call_json
from bitel_mock.domain.model import CallStatus
from bitel_mock.errors import AdminError
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator

blueprint = Blueprint("admin_calls", __name__, url_prefix="/__admin/calls")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def int_arg(name: str, default: int, low: int, high: int = MAX_INTEGER) -> int:
    return query_int(name, default, low, high)


@blueprint.get("")
def list_calls() -> Response:
    status_name = request.args.get("status")
    status = None
    if status_name is not None:
        try:
            status = CallStatus[status_name]
        except KeyError:
            known = ", ".join(s.name for s in CallStatus)
            raise AdminError("InvalidRequest", f"status must be one of {known}") from None
    limit = int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0)
    current = emulator()
    found = current.calls.list(
        number=request.args.get("number"), status=status, project=project_arg()
    )
    page = found[offset : offset + limit]
    time_to_live = current.settings.timing.time_to_live
    return envelope.json_response(
        {
            "total": len(found),
            "calls": [call_json(call, record, time_to_live) for call, record in page],
        }
    )
