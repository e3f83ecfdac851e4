"""Routes of the control plane that set, list and clear scenario rules."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response

from bitel_mock.admin.body import json_body
from bitel_mock.admin.views import rule_json
from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import AttemptSpec, RuleKind, ScenarioRule, configured_pattern
from bitel_mock.domain.sms_model import SmsStatus
from bitel_mock.errors import AdminError
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator

blueprint = Blueprint("admin_scenarios", __name__, url_prefix="/__admin/scenarios")


def _attempt(item: str | dict[str, Any]) -> AttemptSpec:
    if isinstance(item, str):
        return AttemptSpec(CallStatus[item])
    return AttemptSpec(
        CallStatus[item["status"]],
        talk_seconds=item.get("talkSeconds"),
        ring_seconds=item.get("ringSeconds"),
    )


def _rule(body: dict[str, Any], created_at: int) -> ScenarioRule:
    current = emulator()
    number = body.get("number")
    if number is not None:
        local = current.calls.rules.numbers.to_local(number)
        if local is None:
            raise AdminError("InvalidRequest", f"number: {number!r} is in no accepted form")
        number = local
    kind = RuleKind(body.get("kind", RuleKind.CALL.value))
    try:
        return ScenarioRule(
            id=secrets.token_hex(8),
            attempts=tuple(_attempt(item) for item in body.get("attempts", ())),
            number=number,
            pattern=configured_pattern(body.get("pattern")),
            created_at=created_at,
            kind=kind,
            message_outcome=SmsStatus[body["outcome"]] if kind is RuleKind.SMS else None,
        )
    except ValueError as exc:  # a pattern RE2 refuses, among others
        raise AdminError("InvalidRequest", str(exc)) from None


@blueprint.post("")
def add_scenario() -> Response:
    body = json_body("admin-scenario-request")
    current = emulator()
    rule = _rule(body, int(current.clock.now()))
    current.store.add_scenario(rule)
    return envelope.json_response(rule_json(rule), status=201)


@blueprint.get("")
def list_scenarios() -> Response:
    rules = emulator().store.list_scenarios()
    return envelope.json_response({"scenarios": [rule_json(rule) for rule in rules]})


@blueprint.delete("")
def clear_scenarios() -> Response:
    return envelope.json_response({"deleted": emulator().store.clear_scenarios()})


@blueprint.delete("/<rule_id>")
def delete_scenario(rule_id: str) -> Response:
    if not emulator().store.delete_scenario(rule_id):
        raise AdminError("NotFound", f"no scenario rule has id {rule_id!r}", 404)
    return envelope.json_response({"deleted": 1})
