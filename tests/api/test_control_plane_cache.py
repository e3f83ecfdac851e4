"""Each worker keeps what it read of the control plane while the store's generation stands: a
change made through one worker is seen by the next request of every other worker (scenario
rules, faults, rate limits, the webhook configuration), and requests in between do not read
the control plane again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.domain.clock import ClockMode
from bitel_mock.settings import Settings
from bitel_mock.store.sqlite import SqliteStore
from tests.conftest import AUTH, VOICE_ID

FOUR_HOURS = 4 * 3600
BUSY = "09121111111"
CONTROL_PLANE_READS = ("list_scenarios", "list_faults", "rate_limit", "webhook_config")


class Worker:
    """One app on the shared file, as a worker of `serve` is; counts its store's reads."""

    def __init__(self, path: Path) -> None:
        self.store = SqliteStore(path)
        self.reads: Counter[str] = Counter()
        for name in CONTROL_PLANE_READS:
            self._count(name)
        self.app = create_app(
            Settings(seed=11, clock=ClockMode.MANUAL, start_time=1_700_000_000), store=self.store
        )
        self.client: FlaskClient = self.app.test_client()

    def _count(self, name: str) -> None:
        read = getattr(self.store, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.reads[name] += 1
            return read(*args, **kwargs)

        setattr(self.store, name, counted)

    def place(self, number: str = "09122222222") -> Any:
        return self.client.post(
            "/api/v2/voice/batch",
            json={"phoneNumbers": [number], "voiceId": VOICE_ID},
            headers=AUTH,
        )

    def status(self, call_id: str) -> Any:
        return self.client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)

    def close(self) -> None:
        self.app.extensions["bitel_mock"].close()
        self.store.close()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[Worker, Worker]]:
    one, other = Worker(tmp_path / "shared.sqlite3"), Worker(tmp_path / "shared.sqlite3")
    yield one, other
    one.close()
    other.close()


def test_a_rule_set_through_one_worker_scripts_the_next_call_of_another(
    workers: tuple[Worker, Worker],
) -> None:
    one, other = workers
    assert other.place(BUSY).status_code == 200  # reads (and keeps) the rules: none
    one.client.post("/__admin/scenarios", json={"number": BUSY, "attempts": ["USER_BUSY"]})
    call_id = other.place(BUSY).get_json()["result"][0]["id"]
    one.client.post("/__admin/clock/advance", json={"seconds": FOUR_HOURS})
    assert other.status(call_id).get_json()["result"]["status"] == "USER_BUSY"
    one.client.delete("/__admin/scenarios")
    call_id = other.place(BUSY).get_json()["result"][0]["id"]
    one.client.post("/__admin/clock/advance", json={"seconds": FOUR_HOURS})
    assert other.status(call_id).get_json()["result"]["status"] == "NORMAL"


def test_a_fault_set_through_one_worker_fires_on_another_until_removed(
    workers: tuple[Worker, Worker],
) -> None:
    one, other = workers
    assert other.place().status_code == 200
    fault = one.client.post("/__admin/faults", json={"kind": "status", "status": 503}).get_json()
    assert other.place().status_code == 503
    one.client.delete(f"/__admin/faults/{fault['id']}")
    assert other.place().status_code == 200


def test_a_fault_used_up_on_one_worker_no_longer_fires_on_another(
    workers: tuple[Worker, Worker],
) -> None:
    one, other = workers
    assert other.place().status_code == 200
    one.client.post("/__admin/faults", json={"kind": "status", "status": 500, "times": 1})
    assert one.place().status_code == 500
    assert other.place().status_code == 200


def test_a_rate_limit_set_through_one_worker_holds_on_another(
    workers: tuple[Worker, Worker],
) -> None:
    one, other = workers
    assert other.place().status_code == 200
    one.client.put("/__admin/rate-limit", json={"rps": 0.001, "burst": 1})
    assert other.place().status_code == 200
    assert other.place().status_code == 429
    one.client.delete("/__admin/rate-limit")
    assert other.place().status_code == 200


def test_a_webhook_configuration_set_through_one_worker_applies_on_another(
    workers: tuple[Worker, Worker],
) -> None:
    one, other = workers
    other.place()
    assert other.store.count_pending_events() == 0
    one.client.post("/__admin/webhooks/config", json={"url": "http://127.0.0.1:9/hook"})
    other.place()
    assert other.store.count_pending_events() == 1


def test_requests_between_changes_read_the_control_plane_once(
    workers: tuple[Worker, Worker],
) -> None:
    one, other = workers
    call_id = other.place().get_json()["result"][0]["id"]
    for _ in range(5):
        assert other.place().status_code == 200
        assert other.status(call_id).status_code == 200
    assert other.reads == Counter({name: 1 for name in CONTROL_PLANE_READS})
    one.client.post("/__admin/scenarios", json={"number": BUSY, "attempts": ["ERROR"]})
    for _ in range(3):
        other.place()
    assert other.reads == Counter({name: 2 for name in CONTROL_PLANE_READS})
