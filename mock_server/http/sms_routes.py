"""Routes of the emulated Bitel API under /api/v2/sms: auth, parse, call the domain."""

from __future__ import annotations

from flask import Blueprint, Response, g, request

from bitel_mock.http import envelope
from bitel_mock.http.body import read_json
from bitel_mock.http.current import emulator
from bitel_mock.http.endpoints import validate
from bitel_mock.http.sms_endpoints import (
    SMS_ENDPOINTS,
    SMS_STATUS_PATH,
    SmsEndpoint,
    to_sms_request,
)
from bitel_mock.tokens import TokenCheck, token_fingerprint


def _send_view(endpoint: SmsEndpoint, tokens: TokenCheck):
    validator = endpoint.compile()

    def view() -> Response:
        token = tokens.require(request.headers.get("Authorization"))
        body = read_json(request)
        validate(validator, body)
        sms = emulator().sms
        sent = sms.send(to_sms_request(endpoint, body, token_fingerprint(token)))
        records = sms.wire_records(sent)
        setattr(g, envelope.PLACED_IDS, [message.id for message in sent])
        return envelope.ok(records if endpoint.many else records[0])

    view.__name__ = endpoint.operation_id
    return view


def sms_blueprint(tokens: TokenCheck, shared_projects: bool = False) -> Blueprint:
    """The SMS routes, their validators compiled once; a message is NotFound to another
    project's token unless projects are shared."""
    blueprint = Blueprint("sms", __name__)
    for endpoint in SMS_ENDPOINTS:
        blueprint.add_url_rule(
            endpoint.path, view_func=_send_view(endpoint, tokens), methods=["POST"]
        )

    def sms_status(request_id: str) -> Response:
        token = tokens.require(request.headers.get("Authorization"))
        viewer = None if shared_projects else token_fingerprint(token)
        return envelope.ok(emulator().sms.status(request_id, viewer).to_wire())

    blueprint.add_url_rule(SMS_STATUS_PATH, view_func=sms_status, methods=["GET"])
    return blueprint
