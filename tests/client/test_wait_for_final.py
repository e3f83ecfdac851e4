"""wait_for_final against scripted statuses: what it asks, how long it waits, what it returns."""

from __future__ import annotations

import pytest

from bitel_mock.client import BitelClient, CallStatus, InvalidArgumentError, WaitTimeoutError
from tests.client.scripted import BASE_URL, FakeClock, envelope, record, scripted_session

A, B = "a" * 32, "b" * 32
WAITING = {"status": "WAITING", "statusCode": 0}
NORMAL = {
    "status": "NORMAL",
    "statusCode": 1,
    "executionDate": 1_700_000_060,
    "billSec": 10,
    "price": -28.5,
}
BUSY = {"status": "USER_BUSY", "statusCode": 3, "executionDate": 1_700_000_060}


def status(call_id: str, fields: dict):
    return envelope(record(call_id, **fields))


def test_polls_until_every_call_is_final_and_asks_no_more_for_final_ones() -> None:
    session, adapter = scripted_session(
        status(A, WAITING),
        status(B, BUSY),  # first round
        status(A, WAITING),  # second round: only A
        status(A, NORMAL),  # third round
    )
    clock = FakeClock()
    with BitelClient("t", base_url=BASE_URL, session=session, clock=clock) as bitel:
        records = bitel.wait_for_final([A, B], timeout=60, poll_interval=5)
    assert [r.status for r in records] == [CallStatus.NORMAL, CallStatus.USER_BUSY]
    assert [r.id for r in records] == [A, B]
    assert [p.url.rsplit("/", 1)[1] for p in adapter.sent] == [A, B, A, A]
    assert clock.sleeps == [5, 5]
    assert records[0].price == -28.5


def test_returns_at_once_when_everything_is_final() -> None:
    session, _ = scripted_session(status(A, NORMAL))
    clock = FakeClock()
    with BitelClient("t", base_url=BASE_URL, session=session, clock=clock) as bitel:
        assert bitel.wait_for_final([A], timeout=0, poll_interval=1)[0].is_final
    assert clock.sleeps == []


def test_times_out_with_the_last_records_and_never_sleeps_past_the_deadline() -> None:
    session, _ = scripted_session(*(status(A, WAITING) for _ in range(3)))
    clock = FakeClock()
    with (
        BitelClient("t", base_url=BASE_URL, session=session, clock=clock) as bitel,
        pytest.raises(WaitTimeoutError) as caught,
    ):
        bitel.wait_for_final([A], timeout=7, poll_interval=5)
    assert clock.sleeps == [5, 2]
    assert [r.status for r in caught.value.records] == [CallStatus.WAITING]


def test_a_repeated_id_is_asked_once_per_round_and_returned_twice() -> None:
    session, adapter = scripted_session(status(A, NORMAL))
    with BitelClient("t", base_url=BASE_URL, session=session, clock=FakeClock()) as bitel:
        records = bitel.wait_for_final([A, A], timeout=1, poll_interval=1)
    assert len(records) == 2 and len(adapter.sent) == 1


def test_refuses_a_non_positive_poll_interval() -> None:
    with (
        BitelClient("t", base_url=BASE_URL, clock=FakeClock()) as bitel,
        pytest.raises(InvalidArgumentError),
    ):
        bitel.wait_for_final([A], timeout=1, poll_interval=0)
