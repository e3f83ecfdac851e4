"""What one request of the emulated API costs a Redis store, in round trips: one read first (the
clock and the control plane's generation), then one script that numbers and keeps a request's
calls or one read of the call asked for, and one script that journals the request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import AUTH, VOICE_ID


@pytest.fixture
def client_and_trips(
    redis_url: str, redis_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FlaskClient, list[str]]]:
    import redis

    from bitel_mock.store.redis import RedisStore

    trips: list[str] = []
    send = redis.connection.Connection.send_packed_command

    def counted(self: Any, command: Any, check_health: bool = True) -> None:
        trips.append("trip")
        send(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)
    store = RedisStore(redis_url, prefix=redis_prefix)
    app = create_app(Settings(seed=5), store=store)
    yield app.test_client(), trips
    store.reset()
    app.extensions["bitel_mock"].close()
    store.close()


def _place(client: FlaskClient, count: int) -> Any:
    numbers = [f"0912{n:07d}" for n in range(count)]
    return client.post(
        "/api/v2/voice/batch", json={"phoneNumbers": numbers, "voiceId": VOICE_ID}, headers=AUTH
    )


@pytest.mark.parametrize("count", [2, 100])
def test_an_accepted_batch_is_three_round_trips(
    client_and_trips: tuple[FlaskClient, list[str]], count: int
) -> None:
    client, trips = client_and_trips
    _place(client, 1)  # the control plane's state read and kept, the scripts loaded
    trips.clear()
    assert _place(client, count).status_code == 200
    assert len(trips) == 3


def test_a_status_read_is_three_round_trips(
    client_and_trips: tuple[FlaskClient, list[str]],
) -> None:
    client, trips = client_and_trips
    call_id = _place(client, 2).get_json()["result"][0]["id"]
    client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)
    trips.clear()
    assert client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH).status_code == 200
    assert len(trips) == 3
