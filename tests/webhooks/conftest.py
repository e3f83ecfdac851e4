"""Fixtures of the webhook tests: a loopback receiver and a manual-clock emulator posting to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import AUTH, VOICE_ID
from tests.webhooks.receiver import Receiver

START = 1_700_000_000


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


@pytest.fixture
def app(receiver: Receiver) -> Iterator[Flask]:
    app = create_app(
        Settings(
            seed=7, clock="manual", start_time=START, webhook_url=receiver.url, webhook_backoff=10
        )
    )
    yield app
    app.extensions["bitel_mock"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def place(
    client: FlaskClient,
    numbers: list[str],
    retry_count: int = 1,
    headers: dict[str, str] = AUTH,
) -> list[dict[str, Any]]:
    body = {"phoneNumbers": numbers, "voiceId": VOICE_ID, "retryCount": retry_count}
    response = client.post("/api/v2/voice/batch", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def advance(client: FlaskClient, seconds: int) -> dict[str, Any]:
    response = client.post("/__admin/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def deliveries(client: FlaskClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/__admin/webhooks/deliveries", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["deliveries"]


def configure(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    response = client.post("/__admin/webhooks/config", json=changes)
    assert response.status_code == 200, response.get_json()
    return response.get_json()
