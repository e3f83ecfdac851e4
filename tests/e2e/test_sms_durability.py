"""Messages, like calls, survive a restart and a kill -9 right after their 200; so do templates."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.e2e.processes import AUTH, serving


def _send(url: str, count: int) -> list[str]:
    numbers = [f"0912{offset:07d}" for offset in range(count)]
    response = requests.post(
        f"{url}/api/v2/sms/batch", json={"phoneNumbers": numbers, "message": "salam"}, headers=AUTH, timeout=10
    )
    assert response.status_code == 200, response.text
    return [record["id"] for record in response.json()["result"]]


def _record(url: str, message_id: str) -> dict[str, object]:
    response = requests.get(f"{url}/api/v2/sms/status/{message_id}", headers=AUTH, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["result"]


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/messages.sqlite3"


def test_kill_9_right_after_a_200_loses_no_message(store_url: str) -> None:
    with serving("--store", store_url) as served:
        ids = _send(served.url, 3)
        served.kill_all()
    with serving("--store", store_url) as served:
        assert [_record(served.url, message_id)["id"] for message_id in ids] == ids


def test_a_restart_keeps_messages_and_templates(store_url: str) -> None:
    template = {"id": 77, "text": "Code {1} for {2}", "pending": False}
    with serving("--store", store_url) as served:
        added = requests.post(f"{served.url}/__admin/sms/templates", json=template, timeout=10)
        assert added.status_code == 201, added.text
        ids = _send(served.url, 2)
        before = {message_id: _record(served.url, message_id) for message_id in ids}
    with serving("--store", store_url) as served:
        assert {message_id: _record(served.url, message_id) for message_id in ids} == before
        sent = requests.post(
            f"{served.url}/api/v2/sms/template",
            json={"phoneNumber": "09121234567", "templateId": 77, "params": ["42", "bitel"]},
            headers=AUTH, timeout=10,
        )
        assert sent.status_code == 200, sent.text
        assert sent.json()["result"]["message"] == "Code 42 for bitel"
