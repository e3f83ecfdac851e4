"""A placing request answered 5xx has kept nothing: when the webhook events of a batch cannot be
written, its calls are not kept either, so the client's retry places each call once."""

from __future__ import annotations

from pathlib import Path

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.store.sqlite import SqliteStore
from tests.conftest import AUTH, VOICE_ID
from tests.store.sqlite_faults import failing_connection

BATCH = "/api/v2/voice/batch"
NUMBERS = ["09120000001", "09120000002", "09120000003"]
START = 1_700_000_000


def test_a_batch_whose_events_cannot_be_kept_is_503_and_its_retry_places_it_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calls.sqlite3"
    disk = failing_connection(lambda sql: "INTO webhook_events" in sql)
    settings = Settings(
        seed=7, clock="manual", start_time=START, webhook_url="http://127.0.0.1:9/hook"
    )
    app = create_app(settings, store=SqliteStore(path, factory=disk))
    client = app.test_client()
    body = {"phoneNumbers": NUMBERS, "voiceId": VOICE_ID}

    disk.failing = True
    refused = client.post(BATCH, json=body, headers=AUTH)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "1"
    assert refused.get_json() == {"result": None, "error": "ServiceUnavailable"}
    assert client.get("/__admin/health").get_json()["calls"] == 0

    disk.failing = False
    retried = client.post(BATCH, json=body, headers=AUTH)
    assert retried.status_code == 200
    kept = SqliteStore(path)
    assert [call.phone_number for call in kept.list_calls()] == NUMBERS
    assert kept.count_pending_events() == len(NUMBERS)
    app.extensions["bitel_mock"].close()
