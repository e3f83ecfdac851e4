"""Routes of the emulated Bitel API under /api/v2/voice: auth, parse, call the domain."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, request

from bitel_mock.emulator import EXTENSION_KEY
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator
from bitel_mock.http.endpoints import (
    CALL_ENDPOINTS,
    STATUS_PATH,
    Endpoint,
    to_call_request,
    validate,
)
from bitel_mock.http.paths import is_admin_path
from bitel_mock.http.request_json import request_json
from bitel_mock.http.sms_routes import sms_blueprint
from bitel_mock.settings import Settings
from bitel_mock.tokens import TokenCheck, token_fingerprint


def _place_view(endpoint: Endpoint, tokens: TokenCheck):
    validator = endpoint.compile()

    def view() -> Response:
        token = tokens.require(request.headers.get("Authorization"))
        body = request_json(request)
        validate(validator, body)
        calls = emulator().calls
        placed = calls.place(to_call_request(endpoint, body, token_fingerprint(token)))
        records = calls.wire_records(placed)
        setattr(g, envelope.PLACED_IDS, list(placed.ids))
        return envelope.ok(records if endpoint.many else records[0])

    view.__name__ = endpoint.operation_id
    return view


def _blueprint(tokens: TokenCheck, shared_projects: bool = False) -> Blueprint:
    """The blueprint of the emulated API, its validators compiled once; a call is NotFound to
    another project's token unless projects are shared."""
    blueprint = Blueprint("voice", __name__)
    for endpoint in CALL_ENDPOINTS:
        blueprint.add_url_rule(
            endpoint.path,
            view_func=_place_view(endpoint, tokens),
            methods=["POST"],
        )

    def call_status(request_id: str) -> Response:
        token = tokens.require(request.headers.get("Authorization"))
        viewer = None if shared_projects else token_fingerprint(token)
        return envelope.ok(emulator().calls.status(request_id, viewer).to_wire())

    blueprint.add_url_rule(STATUS_PATH, view_func=call_status, methods=["GET"])
    return blueprint


def _date_each_request_once(app: Flask) -> None:
    """Every request of the emulated API reads the store once before anything else: its date
    (the clock's offset) and the control plane's generation (the control plane, which moves
    the clock and changes its state, reads both live)."""
    current = app.extensions[EXTENSION_KEY]

    @app.before_request
    def begin() -> None:
        if not is_admin_path(request.path):
            current.begin_request()

    @app.teardown_request
    def end(_: BaseException | None) -> None:
        current.end_request()


def install_api(app: Flask, settings: Settings) -> None:
    """Serve the emulated API on the app (whose emulator is already installed): its routes,
    accepting `settings.tokens`, and one clock reading per request."""
    app.register_blueprint(_blueprint(TokenCheck(settings.tokens), settings.shared_projects))
    app.register_blueprint(sms_blueprint(TokenCheck(settings.tokens), settings.shared_projects))
    _date_each_request_once(app)
