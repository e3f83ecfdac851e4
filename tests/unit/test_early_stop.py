"""A stop signal kept while a worker starts is sent again once the worker's own handler is in."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bitel_mock.early_stop import EarlyStops


def inherited(signum: int, frame: Any) -> None:
    """Stands for the master's handler, as a forked worker has it."""


def own(signum: int, frame: Any) -> None:
    """Stands for the handler the worker installs once it listens for stops."""


@pytest.fixture
def handlers() -> Iterator[None]:
    before = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, inherited)
    yield
    signal.signal(signal.SIGTERM, before)


def run_pass_on(stops: EarlyStops) -> threading.Thread:
    thread = threading.Thread(target=stops.pass_on, args=(inherited,))
    thread.start()
    return thread


def test_a_kept_stop_is_sent_again_once_the_handler_is_replaced(handlers: None) -> None:
    sent: list[tuple[int, int]] = []
    stops = EarlyStops(kill=lambda pid, signum: sent.append((pid, signum)))
    thread = run_pass_on(stops)
    stops.keep(signal.SIGINT)
    assert sent == []
    signal.signal(signal.SIGTERM, own)
    thread.join(timeout=10)
    assert not thread.is_alive() and sent == [(os.getpid(), signal.SIGINT)]


def test_nothing_is_sent_when_no_stop_came(handlers: None) -> None:
    sent: list[tuple[int, int]] = []
    stops = EarlyStops(kill=lambda pid, signum: sent.append((pid, signum)))
    thread = run_pass_on(stops)
    signal.signal(signal.SIGTERM, own)
    thread.join(timeout=10)
    assert not thread.is_alive() and sent == []
