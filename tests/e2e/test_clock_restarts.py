"""The clock across restarts of `bitel-mock serve` on one SQLite file: a given `--start-time`
always wins, a manual clock without one resumes the time kept in the store, a real clock keeps its
offset until `POST /__admin/reset`; the startup line says which happened."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from tests.e2e.processes import serving

START = 1_700_000_000
MANUAL_START = ("--clock", "manual", "--start-time", str(START))
SLACK_SECONDS = 60
"""How far a real clock may drift from this process's own reading while a test runs."""


@pytest.fixture
def store(tmp_path: Path) -> tuple[str, ...]:
    return ("--store", f"sqlite:///{tmp_path}/calls.sqlite3", "--workers", "1")


def _now(url: str) -> int:
    return requests.get(f"{url}/__admin/clock", timeout=10).json()["now"]


def _advance(url: str, seconds: int) -> None:
    moved = requests.post(f"{url}/__admin/clock/advance", json={"seconds": seconds}, timeout=30)
    assert moved.status_code == 200, moved.text


def test_two_runs_with_one_start_time_both_start_there(store: tuple[str, ...]) -> None:
    for _ in range(2):
        with serving(*store, *MANUAL_START) as served:
            assert _now(served.url) == START
            assert served.clock_line == (
                "clock manual at 2023-11-14T22:13:20Z (1700000000): the given --start-time"
            )
            _advance(served.url, 3600)


def test_the_memory_store_starts_its_worker_at_the_given_start_time() -> None:
    """The one worker's memory store is its own, with nothing kept to resume: it starts where
    `--start-time` says, and a reset goes back there."""
    with serving("--store", "memory", *MANUAL_START) as served:
        assert _now(served.url) == START
        _advance(served.url, 60)
        assert _now(served.url) == START + 60
        assert requests.post(f"{served.url}/__admin/reset", timeout=10).status_code == 200
        assert _now(served.url) == START


def test_a_manual_clock_without_start_time_resumes_the_kept_time(store: tuple[str, ...]) -> None:
    with serving(*store, *MANUAL_START) as served:
        _advance(served.url, 3600)
    with serving(*store, "--clock", "manual") as served:
        assert _now(served.url) == START + 3600
        assert served.clock_line == (
            "clock manual at 2023-11-14T23:13:20Z (1700003600): resumed from the store "
            "(--start-time starts elsewhere)"
        )


def test_a_real_clock_keeps_its_offset_until_a_reset(store: tuple[str, ...]) -> None:
    with serving(*store) as served:
        assert served.clock_line.endswith(": the machine's time")
        _advance(served.url, 27_200)
    with serving(*store) as served:
        assert served.clock_line.endswith(
            ": +27200 s ahead, kept in the store; POST /__admin/reset clears it"
        )
        assert abs(_now(served.url) - (time.time() + 27_200)) < SLACK_SECONDS
        assert requests.post(f"{served.url}/__admin/reset", timeout=10).status_code == 200
        assert abs(_now(served.url) - time.time()) < SLACK_SECONDS
    with serving(*store) as served:
        assert served.clock_line.endswith(": the machine's time")
