"""Routes of the control plane: health, the served contracts, reset."""

from __future__ import annotations

from flask import Blueprint, Response

from bitel_mock.admin.contract import served_openapi
from bitel_mock.admin.views import clock_json
from bitel_mock.http import envelope
from bitel_mock.http.current import emulator
from bitel_mock.version import __version__

blueprint = Blueprint("admin", __name__, url_prefix="/__admin")


@blueprint.get("/health")
def health() -> Response:
    """200 once the emulator is ready to answer."""
    current = emulator()
    return envelope.json_response(
        {
            "status": "ok",
            "version": __version__,
            "seed": current.settings.seed,
            "calls": current.store.count_calls(),
            "clock": clock_json(current),
        }
    )


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI document of the emulated API as this emulator is configured."""
    current = emulator()
    return envelope.json_response(served_openapi(current.settings, templates=current.sms.templates.all()))


@blueprint.get("/admin-openapi.json")
def admin_openapi_document() -> Response:
    """The OpenAPI document of the control plane."""
    return envelope.json_response(served_openapi(emulator().settings, "admin-openapi.yaml"))


@blueprint.post("/reset")
def reset() -> Response:
    """Forget every call, rule and clock offset."""
    emulator().reset()
    return envelope.json_response({"reset": True})
