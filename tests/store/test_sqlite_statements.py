"""What one request of the emulated API costs the SQLite file, statement by statement: one read
first (the clock and the control plane's generation), then one transaction that numbers and
keeps a request's calls with its journal entry, or one read of the call asked for and the
journal's append."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.store.sqlite import SqliteStore
from tests.conftest import AUTH, VOICE_ID


class CountingConnection(sqlite3.Connection):
    """Notes every statement the store runs (the first words of each)."""

    statements: ClassVar[list[str]] = []

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        CountingConnection.statements.append(" ".join(sql.split()[:3]))
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        CountingConnection.statements.append(" ".join(sql.split()[:3]))
        return super().executemany(sql, *args)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[FlaskClient]:
    store = SqliteStore(tmp_path / "calls.sqlite3", factory=CountingConnection)
    app = create_app(Settings(seed=5), store=store)
    yield app.test_client()
    app.extensions["bitel_mock"].close()
    store.close()


def _statements(run: Any) -> list[str]:
    CountingConnection.statements = []
    response = run()
    assert response.status_code == 200, response.get_data()
    return CountingConnection.statements


def _place(client: FlaskClient, count: int) -> Any:
    numbers = [f"0912{n:07d}" for n in range(count)]
    return client.post(
        "/api/v2/voice/batch", json={"phoneNumbers": numbers, "voiceId": VOICE_ID}, headers=AUTH
    )


PULSE = "SELECT (SELECT value"
KEEP_BATCH = "INSERT INTO requests"
FIND_CALL = "SELECT s.value, r.first_seq,"
APPEND_JOURNAL = "INSERT INTO journal"
KEEP_BATCH_AND_ENTRY = ["BEGIN IMMEDIATE", KEEP_BATCH, APPEND_JOURNAL, "COMMIT"]


@pytest.mark.parametrize("count", [1, 2, 100])
def test_an_accepted_batch_is_one_read_and_one_transaction(client: FlaskClient, count: int) -> None:
    _place(client, 1)  # the control plane's state is read once, then kept
    assert _statements(lambda: _place(client, count)) == [PULSE, *KEEP_BATCH_AND_ENTRY]


def test_a_status_read_is_three_statements(client: FlaskClient) -> None:
    call_id = _place(client, 2).get_json()["result"][0]["id"]
    read = _statements(lambda: client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH))
    assert read == [PULSE, FIND_CALL, APPEND_JOURNAL]


def test_after_a_change_the_next_request_reads_the_control_plane_once_more(
    client: FlaskClient,
) -> None:
    _place(client, 1)
    client.post("/__admin/scenarios", json={"number": "09990000000", "attempts": ["ERROR"]})
    after_the_change = _statements(lambda: _place(client, 2))
    assert after_the_change == [
        PULSE,
        "SELECT fault, remaining,",  # the faults (the toolkit, before the route)
        "SELECT value FROM",  # the rate limit
        "SELECT rule FROM",  # the rules (the route)
        "SELECT value FROM",  # the webhook configuration (before numbering: events or not)
        *KEEP_BATCH_AND_ENTRY,
    ]
    assert _statements(lambda: _place(client, 2)) == [PULSE, *KEEP_BATCH_AND_ENTRY]
