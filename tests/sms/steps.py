"""Steps a test takes against an in-process emulator's SMS routes: send, read records, move
the emulator's clock through the control plane (never sleep)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.domain.sms_model import Message
from bitel_mock.settings import Settings
from tests.conftest import AUTH

START = 1_700_000_000
SINGLE = "/api/v2/sms/single"
BATCH = "/api/v2/sms/batch"
P2P = "/api/v2/sms/batch/p2p"
OTP = "/api/v2/sms/otp"
TEMPLATE = "/api/v2/sms/template"
STATUS = "/api/v2/sms/status/"
SEND_PATHS = (SINGLE, BATCH, P2P, OTP, TEMPLATE)


def sms_app(**settings: Any) -> Flask:
    """A seeded emulator on a manual clock at START."""
    return create_app(Settings(**{"seed": 7, "clock": "manual", "start_time": START, **settings}))


def send(client: FlaskClient, path: str, body: Any, headers: dict[str, str] = AUTH) -> Any:
    """POST a body to an SMS route; the result of a 200 (fails the test otherwise)."""
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def refused(
    client: FlaskClient, path: str, body: Any, headers: dict[str, str] = AUTH
) -> tuple[int, Any]:
    """POST a body expected to be refused: (status, whole answer)."""
    response = client.post(path, json=body, headers=headers)
    return response.status_code, response.get_json()


def status(client: FlaskClient, message_id: str) -> dict[str, Any]:
    response = client.get(STATUS + message_id, headers=AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def advance(client: FlaskClient, seconds: float) -> None:
    response = client.post("/__admin/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.get_json()


def kept_messages(app: Flask) -> list[Message]:
    """Every message the emulator's store keeps."""
    return app.extensions["bitel_mock"].store.list_messages()
