"""Shared bits of the request-guard tests: an emulator with one call placed, and how to look."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import AUTH, VOICE_ID

NUMBER = "09121234567"
EVIL = "http://evil.example"


def emulator(**settings: Any) -> Flask:
    return create_app(Settings(seed=7, **settings))


def place_call(client: FlaskClient, headers: dict[str, str] | None = None) -> str:
    """Place one call (from localhost, the test client's default Host); its id."""
    response = client.post(
        "/api/v2/voice/single",
        json={"phoneNumber": NUMBER, "voiceId": VOICE_ID},
        headers={**AUTH, **(headers or {})},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]["id"]


def call_count(client: FlaskClient, headers: dict[str, str] | None = None) -> int:
    """How many calls the emulator holds, asked from localhost like a command-line client."""
    response = client.get("/__admin/calls", headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["total"]


def assert_admin_error(body: Any, code: str) -> None:
    """The control plane's error shape, with this code and nothing else."""
    contracts.validator("admin-error").validate(body)
    assert set(body) == {"error", "message"}
    assert body["error"] == code and body["message"]
