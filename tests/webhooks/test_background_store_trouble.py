"""The background dispatcher on a store in trouble: it keeps polling and logs nothing itself
(the store logs its trouble once per incident), where any other failure is logged."""

from __future__ import annotations

import logging
import threading

import pytest

from bitel_mock.store.errors import StoreUnavailable
from bitel_mock.webhooks.background import BackgroundDispatcher

RUNS = 5


class FailingDispatcher:
    """Raises `error` on every run; tells the test once it ran RUNS times."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.runs = 0
        self.ran_enough = threading.Event()

    def deliver_due(self) -> None:
        self.runs += 1
        if self.runs >= RUNS:
            self.ran_enough.set()
        raise self.error


@pytest.mark.parametrize(
    ("error", "logs_each_run"),
    [(StoreUnavailable("Redis: Error 111 connecting"), False), (RuntimeError("a bug"), True)],
)
def test_store_trouble_is_left_to_the_store_to_log(
    error: Exception, logs_each_run: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bitel_mock.webhooks")
    dispatcher = FailingDispatcher(error)
    background = BackgroundDispatcher(dispatcher, poll_seconds=0)  # type: ignore[arg-type]
    background.ensure_started()
    try:
        assert dispatcher.ran_enough.wait(timeout=10)
    finally:
        background.stop()
    failures = [r for r in caplog.records if r.name == "bitel_mock.webhooks"]
    assert dispatcher.runs >= RUNS
    assert len(failures) == (dispatcher.runs if logs_each_run else 0)
