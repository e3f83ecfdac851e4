"""Steps a test takes against an in-process emulator: place calls, read records and plans,
move the emulator's clock (never sleep)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import AUTH, VOICE_ID

BATCH = "/api/v2/voice/batch"


def place(
    client: FlaskClient,
    numbers: list[str],
    headers: dict[str, str] = AUTH,
    **fields: Any,
) -> list[dict[str, Any]]:
    """POST a batch (retryCount only if given in `fields`); the records of a 200."""
    body = {"phoneNumbers": numbers, "voiceId": VOICE_ID, **fields}
    response = client.post(BATCH, json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def post(client: FlaskClient, path: str, body: Any, headers: dict[str, str] = AUTH) -> Any:
    """POST to the emulated API; the whole response (any status)."""
    return client.post(path, json=body, headers=headers)


def status(client: FlaskClient, call_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def advance(client: FlaskClient, seconds: float, headers: dict[str, str] | None = None) -> None:
    response = client.post("/__admin/clock/advance", json={"seconds": seconds}, headers=headers)
    assert response.status_code == 200, response.get_json()


def now(client: FlaskClient, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.get("/__admin/clock", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def admin_call(client: FlaskClient, call_id: str) -> dict[str, Any]:
    """The call as /__admin/calls shows it: what was asked, its plan and its record now."""
    calls = client.get("/__admin/calls?limit=1000").get_json()["calls"]
    return next(call for call in calls if call["id"] == call_id)


def plan(client: FlaskClient, call_id: str) -> dict[str, Any]:
    return admin_call(client, call_id)["plan"]


def deliveries(client: FlaskClient) -> list[dict[str, Any]]:
    """Every webhook delivery attempt, oldest first."""
    response = client.get("/__admin/webhooks/deliveries", query_string={"limit": 1000})
    assert response.status_code == 200, response.get_json()
    return list(reversed(response.get_json()["deliveries"]))
