"""A store in trouble, seen over HTTP: 503 `ServiceUnavailable` with `Retry-After: 1` (admin
paths in their own shape), nothing kept, reads still served, one log line per incident, never
a 500; a store that came back empty numbers no call again."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bitel_mock.app import create_app
from bitel_mock.http.errors import STORE_RETRY_AFTER_SECONDS
from bitel_mock.settings import Settings
from bitel_mock.store.memory import MemoryStore
from bitel_mock.store.sqlite import SqliteStore
from tests.conftest import AUTH, VOICE_ID
from tests.store.sqlite_faults import failing_connection, writes

BATCH = "/api/v2/voice/batch"
UNAVAILABLE = {"result": None, "error": "ServiceUnavailable"}


def _batch(client: FlaskClient, count: int = 2) -> TestResponse:
    numbers = [f"0912000{n:04d}" for n in range(count)]
    return client.post(BATCH, json={"phoneNumbers": numbers, "voiceId": VOICE_ID}, headers=AUTH)


def _status(client: FlaskClient, call_id: str) -> TestResponse:
    return client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)


def _store_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bitel_mock.store"]


def test_the_retry_after_of_a_store_in_trouble_is_one_second() -> None:
    assert STORE_RETRY_AFTER_SECONDS == 1


def test_a_full_disk_refuses_writes_with_503_and_serves_reads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bitel_mock.store")
    path = tmp_path / "calls.sqlite3"
    disk = failing_connection(writes)
    client = create_app(Settings(seed=7), store=SqliteStore(path, factory=disk)).test_client()
    placed = _batch(client).get_json()["result"]
    answers: list[TestResponse] = []

    disk.failing = True
    for _ in range(20):
        refused = _batch(client, 100)
        answers.append(refused)
        assert (refused.status_code, refused.get_json()) == (503, UNAVAILABLE)
        assert refused.headers["Retry-After"] == "1"
        read = _status(client, placed[0]["id"])
        answers.append(read)
        assert (read.status_code, read.get_json()["result"]["id"]) == (200, placed[0]["id"])
    admin_write = client.post(
        "/__admin/scenarios", json={"number": "09120000000", "attempts": ["ERROR"]}
    )
    admin_read = client.get("/__admin/requests")
    answers += [admin_write, admin_read]
    assert admin_write.status_code == 503 and admin_write.headers["Retry-After"] == "1"
    assert admin_write.get_json()["error"] == "ServiceUnavailable"
    assert "store is unavailable" in admin_write.get_json()["message"]
    assert admin_read.status_code == 200
    assert SqliteStore(path).count_calls() == 2  # the refused requests kept nothing
    assert all(answer.status_code != 500 for answer in answers)
    assert _store_lines(caplog) == [
        "store unavailable: SQLite: database or disk is full; answering 503 until it is back"
    ]

    disk.failing = False
    assert _batch(client).status_code == 200


def test_a_journal_that_cannot_record_never_fails_a_kept_batch(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bitel_mock.store")
    path = tmp_path / "calls.sqlite3"
    disk = failing_connection(lambda sql: writes(sql) and "journal" in sql)  # the journal's writes
    client = create_app(Settings(seed=7), store=SqliteStore(path, factory=disk)).test_client()
    disk.failing = True
    placed = _batch(client)
    assert placed.status_code == 200
    call_id = placed.get_json()["result"][0]["id"]
    assert _status(client, call_id).status_code == 200
    assert SqliteStore(path).count_calls() == 2
    assert client.get("/__admin/requests").get_json()["requests"] == []
    assert len(_store_lines(caplog)) == 1


@pytest.mark.parametrize("seed", [None, 7])
def test_a_store_that_came_back_empty_issues_no_id_again(
    seed: int | None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bitel_mock.store")
    store = MemoryStore()
    client = create_app(Settings(seed=seed), store=store).test_client()
    issued = [record["id"] for record in _batch(client, 5).get_json()["result"]]
    store.wipe()

    answers: dict[str, Any] = {
        "batch": _batch(client, 5),
        "status": _status(client, issued[0]),
        "again": _batch(client, 5),
    }
    assert {name: (a.status_code, a.get_json()) for name, a in answers.items()} == {
        name: (503, UNAVAILABLE) for name in answers
    }
    (line,) = _store_lines(caplog)
    assert "no id is issued twice" in line and "restart the emulator" in line
    assert line.endswith("; answering 503 from now on")
