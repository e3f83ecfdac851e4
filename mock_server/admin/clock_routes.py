"""Routes of the control plane that read and move the emulator's clock."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response

from bitel_mock.admin.body import json_body
from bitel_mock.admin.views import clock_json
from bitel_mock.domain.clock import ClockBackwards
from bitel_mock.emulator import Emulator
from bitel_mock.errors import AdminError
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator

blueprint = Blueprint("admin_clock", __name__, url_prefix="/__admin/clock")


@blueprint.get("")
def get_clock() -> Response:
    return envelope.json_response(clock_json(emulator()))


@blueprint.post("/advance")
def advance_clock() -> Response:
    body = json_body("admin-clock-advance")
    current = emulator()
    # The schema refuses a negative move first; the domain's refusal is a 400 all the same.
    _move(lambda: current.clock.advance(int(body["seconds"])), "InvalidClockMove", 400)
    return _delivered_after_move(current)


@blueprint.post("/set")
def set_clock() -> Response:
    body = json_body("admin-clock-set")
    current = emulator()
    _move(lambda: current.clock.set(int(body["now"])), "ClockBackwards", 409)
    return _delivered_after_move(current)


def _move(move: Callable[[], float], code: str, status: int) -> None:
    """Run a clock move; the domain's refusal to go backwards becomes this control-plane error."""
    try:
        move()
    except ClockBackwards as exc:
        raise AdminError(code, exc.message, status) from None


def _delivered_after_move(current: Emulator) -> Response:
    """The clock, once every webhook that fell due is delivered (each attempt journaled)."""
    attempts = current.webhooks.deliver_due()
    return envelope.json_response({**clock_json(current), "webhookAttempts": len(attempts)})
