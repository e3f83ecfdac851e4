"""Routes of the control plane that read and move the emulator's clock."""

from __future__ import annotations

from flask import Blueprint, Response

from bitel_mock.admin.body import json_body
from bitel_mock.admin.routes import clock_json, emulator
from bitel_mock.emulator import Emulator
from bitel_mock.http import envelope

blueprint = Blueprint("admin_clock", __name__, url_prefix="/__admin/clock")


@blueprint.get("", provide_automatic_options=False)
def get_clock() -> Response:
    return envelope.json_response(clock_json(emulator()))


@blueprint.post("/advance", provide_automatic_options=False)
def advance_clock() -> Response:
    body = json_body("admin-clock-advance")
    current = emulator()
    current.clock.advance(int(body["seconds"]))
    return _delivered_after_move(current)


@blueprint.post("/set", provide_automatic_options=False)
def set_clock() -> Response:
    body = json_body("admin-clock-set")
    current = emulator()
    current.clock.set(int(body["now"]))
    return _delivered_after_move(current)


def _delivered_after_move(current: Emulator) -> Response:
    """The clock, once every webhook that fell due is delivered (each attempt journaled)."""
    attempts = current.webhooks.deliver_due()
    return envelope.json_response({**clock_json(current), "webhookAttempts": len(attempts)})
