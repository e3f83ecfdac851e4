"""Routes of the control plane: health and the served contract."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app

from mock_server.admin.contract import served_openapi
from mock_server.http import envelope
from mock_server.version import __version__

blueprint = Blueprint("admin", __name__, url_prefix="/__admin")


def _emulator() -> Any:
    return current_app.extensions["bitel_mock"]


@blueprint.get("/health", provide_automatic_options=False)
def health() -> Response:
    """200 once the emulator is ready to answer."""
    emulator = _emulator()
    return envelope.json_response(
        {
            "status": "ok",
            "version": __version__,
            "seed": emulator.settings.seed,
            "calls": emulator.store.count_calls(),
        }
    )


@blueprint.get("/openapi.json", provide_automatic_options=False)
def openapi_document() -> Response:
    """The OpenAPI document of the emulated API as this emulator is configured."""
    return envelope.json_response(served_openapi(_emulator().settings))
