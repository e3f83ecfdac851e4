"""wait_for_final_sms against scripted statuses: what it asks, how long it waits, what it
returns; its documented defaults (timeout 600 s, a poll every 5 s)."""

from __future__ import annotations

import pytest

from bitel_mock.client import BitelClient, InvalidArgumentError, SmsStatus, WaitTimeoutError
from tests.client.scripted import BASE_URL, FakeClock, envelope, scripted_session
from tests.client.sms_data import in_status

A, B = "a" * 32, "b" * 32


def status(message_id: str, sms_status: SmsStatus):
    return envelope(in_status(message_id, sms_status))


def test_polls_until_every_message_is_final_through_check_ok() -> None:
    session, adapter = scripted_session(
        status(A, SmsStatus.WAITING),
        status(B, SmsStatus.BLACKLIST),  # first round
        status(A, SmsStatus.CHECK_OK),  # second round: only A
        status(A, SmsStatus.DELIVERED),  # third round
    )
    clock = FakeClock()
    with BitelClient("t", base_url=BASE_URL, session=session, clock=clock) as bitel:
        records = bitel.wait_for_final_sms([A, B], timeout=60, poll_interval=5)
    assert [r.status for r in records] == [SmsStatus.DELIVERED, SmsStatus.BLACKLIST]
    assert [r.id for r in records] == [A, B]
    assert [p.url.removeprefix(BASE_URL) for p in adapter.sent] == [
        f"/api/v2/sms/status/{m}" for m in (A, B, A, A)
    ]
    assert clock.sleeps == [5, 5]
    assert records[0].price == -14.0


def test_returns_at_once_when_everything_is_final() -> None:
    session, _ = scripted_session(status(A, SmsStatus.CHECK_ERROR))
    clock = FakeClock()
    with BitelClient("t", base_url=BASE_URL, session=session, clock=clock) as bitel:
        assert bitel.wait_for_final_sms([A], timeout=0, poll_interval=1)[0].is_final
    assert clock.sleeps == []


def test_by_default_polls_every_5_seconds_for_600_seconds() -> None:
    polls = 600 // 5 + 1  # one at the start, one after each wait
    session, adapter = scripted_session(*(status(A, SmsStatus.CHECK_OK) for _ in range(polls)))
    clock = FakeClock()
    with (
        BitelClient("t", base_url=BASE_URL, session=session, clock=clock) as bitel,
        pytest.raises(WaitTimeoutError) as caught,
    ):
        bitel.wait_for_final_sms([A])
    assert str(caught.value) == "1 of 1 messages still not final after 600.0 s"
    assert set(clock.sleeps) == {5.0}
    assert sum(clock.sleeps) == 600.0
    assert len(adapter.sent) == polls
    assert [r.status for r in caught.value.records] == [SmsStatus.CHECK_OK]


def test_never_sleeps_past_the_deadline() -> None:
    session, _ = scripted_session(*(status(A, SmsStatus.WAITING) for _ in range(3)))
    clock = FakeClock()
    with (
        BitelClient("t", base_url=BASE_URL, session=session, clock=clock) as bitel,
        pytest.raises(WaitTimeoutError),
    ):
        bitel.wait_for_final_sms([A], timeout=7, poll_interval=5)
    assert clock.sleeps == [5, 2]


def test_a_repeated_id_is_asked_once_per_round_and_returned_twice() -> None:
    session, adapter = scripted_session(status(A, SmsStatus.DELIVERED))
    with BitelClient("t", base_url=BASE_URL, session=session, clock=FakeClock()) as bitel:
        records = bitel.wait_for_final_sms(iter([A, A]), timeout=1, poll_interval=1)
    assert len(records) == 2 and len(adapter.sent) == 1


@pytest.mark.parametrize(("timeout", "poll_interval"), [(1, 0), (1, -1), (-1, 1)])
def test_refuses_a_non_positive_poll_interval_or_a_negative_timeout(
    timeout: float, poll_interval: float
) -> None:
    session, adapter = scripted_session()
    with (
        BitelClient("t", base_url=BASE_URL, session=session, clock=FakeClock()) as bitel,
        pytest.raises(InvalidArgumentError),
    ):
        bitel.wait_for_final_sms([A], timeout=timeout, poll_interval=poll_interval)
    assert adapter.sent == []
