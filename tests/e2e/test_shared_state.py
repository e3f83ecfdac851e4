"""Several worker processes and restarts share one store: nothing answered with a 200 is lost."""

from __future__ import annotations

import os
import shutil
import signal
import socket
from pathlib import Path

import pytest
import requests

from bitel_mock.store.sqlite import SqliteStore
from tests.e2e.processes import AUTH, serving

VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"


def _place(url: str, count: int, start: int = 0) -> list[str]:
    numbers = [f"0912{start + offset:07d}" for offset in range(count)]
    response = requests.post(
        f"{url}/api/v2/voice/batch", json={"phoneNumbers": numbers, "voiceId": VOICE_ID},
        headers=AUTH, timeout=10,
    )
    assert response.status_code == 200, response.text
    return [record["id"] for record in response.json()["result"]]


def _status(url: str, call_id: str) -> dict[str, object]:
    response = requests.get(f"{url}/api/v2/voice/status/{call_id}", headers=AUTH, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["result"]


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/calls.sqlite3"


def test_two_workers_always_report_the_same_record(store_url: str) -> None:
    with serving("--store", store_url, "--workers", "2") as served:
        ids = [call_id for batch in range(5) for call_id in _place(served.url, 4, start=batch * 4)]
        assert len(set(ids)) == 20
        for call_id in ids:
            answers = [_status(served.url, call_id) for _ in range(6)]
            assert all(answer == answers[0] for answer in answers)
            assert answers[0]["id"] == call_id
        assert requests.get(f"{served.url}/__admin/health", timeout=10).json()["calls"] == 20


def test_two_servers_on_one_file_agree(store_url: str) -> None:
    with serving("--store", store_url, "--workers", "1") as first, serving("--store", store_url, "--workers", "1") as second:
        placed_first = _place(first.url, 3)
        placed_second = _place(second.url, 3, start=3)
        assert not set(placed_first) & set(placed_second)
        for call_id in placed_first:
            assert _status(second.url, call_id)["id"] == call_id
        for call_id in placed_second:
            assert _status(first.url, call_id)["id"] == call_id


def test_a_restart_on_the_same_file_finds_every_call(store_url: str) -> None:
    with serving("--store", store_url) as served:
        ids = _place(served.url, 100) + _place(served.url, 2, start=100)
        before = {call_id: _status(served.url, call_id) for call_id in ids}
    with serving("--store", store_url) as served:
        assert {call_id: _status(served.url, call_id) for call_id in ids} == before
        assert _place(served.url, 1, start=500)[0] not in before


def test_kill_9_right_after_a_200_loses_nothing(store_url: str) -> None:
    with serving("--store", store_url) as served:
        ids = _place(served.url, 2)
        served.kill_all()
    with serving("--store", store_url) as served:
        assert [_status(served.url, call_id)["id"] for call_id in ids] == ids


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_server_leaves_everything_in_the_file_alone(tmp_path: Path, stop: int) -> None:
    path = tmp_path / "calls.sqlite3"
    with serving("--store", f"sqlite:///{path}", "--workers", "2") as served:
        ids = _place(served.url, 3)
        assert (tmp_path / "calls.sqlite3-wal").exists()  # while it runs, the log holds them
        os.killpg(served.process.pid, stop)
        served.process.wait(timeout=40)
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["calls.sqlite3"]
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(path, copy / "calls.sqlite3")  # the file alone, as one would back it up
    store = SqliteStore(copy / "calls.sqlite3")
    assert store.count_calls() == 3
    assert [call.id for call in store.list_calls()] == ids
    store.close()


def test_sigterm_lets_an_in_flight_request_finish(store_url: str) -> None:
    body = b'{"phoneNumbers": ["09121234567"], "voiceId": "' + VOICE_ID.encode() + b'"}'
    with serving("--store", store_url, "--workers", "1") as served:
        port = int(served.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(
                b"POST /api/v2/voice/batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Authorization: Bearer t\r\nContent-Type: application/json\r\n"
                b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
            )
            assert connection.recv(64).startswith(b"HTTP/1.1 100")  # a worker holds the request
            os.killpg(served.process.pid, signal.SIGTERM)
            connection.sendall(body)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"error":null' in answer.replace(b" ", b"")
        assert served.process.wait(timeout=40) == 0


def test_two_servers_on_one_redis_agree(redis_url: str) -> None:
    import redis

    from bitel_mock.store.redis import DEFAULT_PREFIX

    client = redis.Redis.from_url(redis_url)
    client.delete(*client.keys(f"{DEFAULT_PREFIX}*"), f"{DEFAULT_PREFIX}state")
    with serving("--store", redis_url, "--workers", "2") as first, serving("--store", redis_url, "--workers", "1") as second:
        placed = _place(first.url, 3) + _place(second.url, 2, start=3)
        assert len(set(placed)) == 5
        for call_id in placed:
            assert _status(first.url, call_id) == _status(second.url, call_id)
