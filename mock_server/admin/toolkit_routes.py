"""Control-plane routes of the toolkit: the request journal, faults and rate limits."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from bitel_mock.admin.body import raw_json
from bitel_mock.errors import AdminError
from bitel_mock.http import envelope
from bitel_mock.http.toolkit_hooks import toolkit
from bitel_mock.toolkit.definitions import DefinitionError
from bitel_mock.toolkit.journal import RequestMatcher
from bitel_mock.toolkit.ratelimit import LimitConfig

blueprint = Blueprint("admin_toolkit", __name__, url_prefix="/__admin")


def _checked(read: Any) -> Any:
    try:
        return read()
    except DefinitionError as exc:
        raise AdminError("InvalidRequest", exc.message) from None


@blueprint.get("/requests")
def list_requests() -> Response:
    """Journal entries, newest first: filters method, path, status, error, phoneNumber, project;
    `limit` with `offset` or `cursor`."""
    page = _checked(lambda: toolkit().journal.page(request.args))
    return envelope.json_response(page.to_json())


@blueprint.delete("/requests")
def clear_requests() -> Response:
    toolkit().journal.clear()
    return envelope.json_response({"cleared": True})


@blueprint.post("/requests/count")
def count_requests() -> Response:
    matcher = _checked(lambda: RequestMatcher.from_json(raw_json()))
    return envelope.json_response({"count": toolkit().journal.count(matcher)})


@blueprint.get("/faults")
def list_faults() -> Response:
    return envelope.json_response({"faults": toolkit().faults.list()})


@blueprint.post("/faults")
def add_fault() -> Response:
    body = raw_json()
    return envelope.json_response(_checked(lambda: toolkit().faults.add(body)), status=201)


@blueprint.delete("/faults")
def clear_faults() -> Response:
    toolkit().faults.clear()
    return envelope.json_response({"cleared": True})


@blueprint.delete("/faults/<fault_id>")
def remove_fault(fault_id: str) -> Response:
    if not toolkit().faults.remove(fault_id):
        raise AdminError("NotFound", f"no fault has id {fault_id!r}", 404)
    return envelope.json_response({"removed": fault_id})


@blueprint.get("/rate-limit")
def get_rate_limit() -> Response:
    return envelope.json_response(toolkit().limiter.config().to_json())


@blueprint.put("/rate-limit")
def set_rate_limit() -> Response:
    config = _checked(lambda: LimitConfig.from_json(raw_json()))
    limiter = toolkit().limiter
    limiter.set_config(config)
    return envelope.json_response(limiter.config().to_json())


@blueprint.delete("/rate-limit")
def reset_rate_limit() -> Response:
    """Back to the limits the emulator was started with."""
    limiter = toolkit().limiter
    limiter.set_config(None)
    return envelope.json_response(limiter.config().to_json())
