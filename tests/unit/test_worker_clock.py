"""A worker of `serve` (at its first start or restarted after a crash) never sets a moved
manual clock back to `--start-time`: the master applied it once, workers resume the kept clock."""

from __future__ import annotations

from pathlib import Path

from bitel_mock.app import create_app
from bitel_mock.cli import worker_app
from bitel_mock.domain.clock import ClockMode
from bitel_mock.settings import Settings
from bitel_mock.store.url import open_store

START = 1_700_000_000
ADMIN = {"Host": "127.0.0.1"}


def _now(app) -> int:  # type: ignore[no-untyped-def]
    return app.test_client().get("/__admin/clock", headers=ADMIN).get_json()["now"]


def test_a_restarted_worker_keeps_the_moved_clock(tmp_path: Path) -> None:
    settings = Settings(clock=ClockMode.MANUAL, start_time=START)
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    master = create_app(settings, store=open_store(store_url))  # as `serve` does, once
    assert _now(master) == START
    first = worker_app(settings, store_url)
    assert _now(first) == START
    moved = first.test_client().post("/__admin/clock/advance", json={"seconds": 3600}, headers=ADMIN)
    assert moved.status_code == 200

    restarted = worker_app(settings, store_url)

    assert _now(restarted) == START + 3600
    assert _now(first) == START + 3600
