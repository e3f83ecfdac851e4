"""A store's trouble is logged once per incident: a first line, a reminder at most every 10 s,
and "available again" after 10 s without a failure. Time is a fake monotonic clock."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.store.errors import StoreReplaced, StoreUnavailable
from bitel_mock.store.incidents import REMINDER_SECONDS, IncidentLog


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[float, str]] = []
        self.clock: Clock | None = None

    def emit(self, record: logging.LogRecord) -> None:
        assert self.clock is not None
        self.lines.append((self.clock.now, record.getMessage()))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def lines(clock: Clock) -> Lines:
    handler = Lines()
    handler.clock = clock
    return handler


@pytest.fixture
def incidents(clock: Clock, lines: Lines) -> IncidentLog:
    log = logging.getLogger("tests.store.incidents")
    log.handlers[:] = [lines]
    log.propagate = False
    return IncidentLog(log=log, monotonic=clock)


def test_the_reminder_interval_is_ten_seconds() -> None:
    assert REMINDER_SECONDS == 10.0


def test_an_incident_is_a_first_line_reminders_and_a_recovery(
    incidents: IncidentLog, clock: Clock, lines: Lines
) -> None:
    for second in range(25):  # a failure every second for 25 s
        clock.now = float(second)
        incidents.failed(StoreUnavailable("Redis: connection refused"))
    clock.now = 30.0
    incidents.succeeded()  # 6 s after the last failure: not over yet
    clock.now = 34.0
    incidents.succeeded()
    assert [message for _, message in lines.lines] == [
        "store unavailable: Redis: connection refused; answering 503 until it is back",
        "store still unavailable: Redis: connection refused (11 failures in 10 s)",
        "store still unavailable: Redis: connection refused (21 failures in 20 s)",
        "store available again (25 failures over 24 s)",
    ]
    assert not incidents.active


def test_an_error_is_counted_once_however_many_guards_it_passes(
    incidents: IncidentLog, clock: Clock, lines: Lines
) -> None:
    error = StoreUnavailable("SQLite: database or disk is full")
    incidents.failed(error)
    clock.now = 10.0
    incidents.failed(error)
    assert len(lines.lines) == 1


def test_a_lasting_incident_never_ends(incidents: IncidentLog, clock: Clock, lines: Lines) -> None:
    incidents.failed(StoreReplaced("the store has another identity"))
    clock.now = 1_000.0
    incidents.succeeded()
    assert incidents.active and len(lines.lines) == 1


def test_a_lasting_incident_has_its_own_first_line_during_a_passing_one(
    incidents: IncidentLog, clock: Clock, lines: Lines
) -> None:
    incidents.failed(StoreUnavailable("Redis: Error 111 connecting. Connection refused."))
    clock.now = 1.0
    incidents.failed(StoreReplaced("the store has lost its identity"))
    clock.now = 2.0
    incidents.failed(StoreReplaced("the store has lost its identity"))
    assert [message for _, message in lines.lines] == [
        "store unavailable: Redis: Error 111 connecting. Connection refused; answering 503 until it is back",
        "store unavailable: the store has lost its identity; answering 503 from now on",
    ]


events = st.lists(
    st.tuples(st.floats(0, 5, allow_nan=False), st.sampled_from(["fail", "ok", "replaced"])),
    max_size=200,
)


@given(events)
def test_never_more_than_three_lines_in_any_ten_seconds(steps: list[tuple[float, str]]) -> None:
    clock, lines = Clock(), Lines()
    lines.clock = clock
    log = logging.getLogger("tests.store.incidents.property")
    log.handlers[:] = [lines]
    log.propagate = False
    incidents = IncidentLog(log=log, monotonic=clock)
    for gap, event in steps:
        clock.now += gap
        if event == "ok":
            incidents.succeeded()
        else:
            incidents.failed(StoreReplaced("x") if event == "replaced" else StoreUnavailable("x"))
    times = [at for at, _ in lines.lines]
    for index, start in enumerate(times):
        # at most: "available again", a passing incident's start, a lasting one's start
        assert len([at for at in times[index:] if at < start + REMINDER_SECONDS]) <= 3
