"""Messages answered with a 200 by `bitel-mock serve` survive a restart and a kill -9 (SQLite
and Redis), as do registered templates; two workers report the same records."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.e2e.processes import AUTH, serving


def _send(url: str, count: int, start: int = 0) -> list[dict[str, object]]:
    pairs = [f"0912{start + offset:07d}" for offset in range(count)]
    response = requests.post(
        f"{url}/api/v2/sms/batch/p2p",
        json={"messages": [f"پیام {n}" for n in pairs], "phoneNumbers": pairs},
        headers=AUTH,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]


def _status(url: str, message_id: object) -> dict[str, object]:
    response = requests.get(f"{url}/api/v2/sms/status/{message_id}", headers=AUTH, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["result"]


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/sms.sqlite3"
    url = request.getfixturevalue("redis_url")
    import redis

    from bitel_mock.store.redis import DEFAULT_PREFIX

    client = redis.Redis.from_url(url)  # served emulators use the default prefix: start afresh
    client.delete(*client.keys(f"{DEFAULT_PREFIX}*"), f"{DEFAULT_PREFIX}state")
    client.close()
    return url


def test_kill_9_right_after_a_200_loses_no_message_and_no_template(store_url: str) -> None:
    with serving("--store", store_url, "--clock", "manual", "--start-time", "1700000000") as served:
        sent = _send(served.url, 3)
        template = {"id": 77, "text": "{1} {2}"}
        assert (
            requests.post(
                f"{served.url}/__admin/sms/templates", json=template, timeout=10
            ).status_code
            == 201
        )
        served.kill_all()
    with serving("--store", store_url, "--clock", "manual") as served:
        assert [_status(served.url, record["id"]) for record in sent] == sent
        body = {"phoneNumber": "09121234567", "templateId": 77, "params": ["a", "b"]}
        answer = requests.post(
            f"{served.url}/api/v2/sms/template", json=body, headers=AUTH, timeout=10
        )
        assert answer.json()["result"]["message"] == "a b"
        assert answer.json()["result"]["id"] not in {record["id"] for record in sent}


def test_two_workers_report_the_same_record(tmp_path: Path) -> None:
    with serving("--store", f"sqlite:///{tmp_path}/sms.sqlite3", "--workers", "2") as served:
        sent = [record for batch in range(4) for record in _send(served.url, 3, start=batch * 3)]
        assert len({record["id"] for record in sent}) == 12
        for record in sent:
            answers = [_status(served.url, record["id"]) for _ in range(4)]
            assert all(answer == answers[0] for answer in answers)
