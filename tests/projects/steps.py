"""Steps the project tests take: two tokens, one call and one message placed with a token,
and reading either back with a token (the answer's status and envelope)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.tokens import token_fingerprint
from tests.conftest import VOICE_ID

TOKEN_A = "project-a-token-0001"
TOKEN_B = "project-b-token-0002"
PROJECT_A = token_fingerprint(TOKEN_A)
PROJECT_B = token_fingerprint(TOKEN_B)
NUMBER = "09121234567"
START = 1_700_000_000
NOT_FOUND = {"result": None, "error": "NotFound"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def project_app(**settings: Any) -> Flask:
    """A seeded emulator on a manual clock."""
    return create_app(Settings(**{"seed": 3, "clock": "manual", "start_time": START, **settings}))


def place_call(client: FlaskClient, token: str, number: str = NUMBER) -> str:
    """The id of one call placed with `token`."""
    body = {"phoneNumbers": [number], "voiceId": VOICE_ID}
    response = client.post("/api/v2/voice/batch", json=body, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"][0]["id"]


def send_message(client: FlaskClient, token: str, number: str = NUMBER) -> str:
    """The id of one message sent with `token`."""
    body = {"phoneNumber": number, "message": "Hi"}
    response = client.post("/api/v2/sms/single", json=body, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]["id"]


def call_status(client: FlaskClient, call_id: str, token: str) -> tuple[int, Any]:
    response = client.get(f"/api/v2/voice/status/{call_id}", headers=bearer(token))
    return response.status_code, response.get_json()


def message_status(client: FlaskClient, message_id: str, token: str) -> tuple[int, Any]:
    response = client.get(f"/api/v2/sms/status/{message_id}", headers=bearer(token))
    return response.status_code, response.get_json()
