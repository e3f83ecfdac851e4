"""Retries of the SMS methods: a send goes out again only when it provably never left (so a
message is never sent twice by the client); `sms_status` is retried like `call_status`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.client import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BatchIncompleteError,
    BitelClient,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from tests.client.scripted import (
    BASE_URL,
    FakeClock,
    connect_timeout,
    envelope,
    read_timeout,
    refused,
    reset_after_send,
    scripted_session,
)
from tests.client.sms_data import sms_record

NO_JITTER = RetryPolicy(max_retries=3, initial_delay=1.0, max_delay=4.0, jitter=lambda: 1.0)
ONE = envelope(sms_record())
MANY = envelope([sms_record()])
SENDS = {
    "single": (lambda b: b.send_sms("09121234567", "hi"), ONE),
    "batch": (lambda b: b.send_sms_batch(["09121234567"], "hi"), MANY),
    "p2p": (lambda b: b.send_sms_p2p(["09121234567"], ["hi"]), MANY),
    "otp": (lambda b: b.send_otp_sms("09121234567", "Bitel", "1234"), ONE),
    "template": (lambda b: b.send_template_sms("09121234567", 1234, ["a", "b", "c"]), ONE),
}


def make(*steps, policy: RetryPolicy = NO_JITTER):
    session, adapter = scripted_session(*steps)
    clock = FakeClock()
    bitel = BitelClient("t", base_url=BASE_URL, session=session, retry_policy=policy, clock=clock)
    return bitel, adapter, clock


@pytest.mark.parametrize("method", sorted(SENDS))
@pytest.mark.parametrize("failure", [read_timeout, reset_after_send])
def test_a_send_is_never_repeated_once_it_may_have_left(method: str, failure) -> None:
    send, ok = SENDS[method]
    bitel, adapter, clock = make(failure(), ok)
    with pytest.raises(APIConnectionError, match="could send them twice") as caught:
        send(bitel)
    assert len(adapter.sent) == 1
    assert clock.sleeps == []
    assert caught.value.never_connected is False
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize("method", sorted(SENDS))
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_send_is_never_repeated_after_a_5xx(method: str, status: int) -> None:
    send, ok = SENDS[method]
    bitel, adapter, _ = make(envelope(None, "InternalError", status, **{"Retry-After": "1"}), ok)
    with pytest.raises(ServerError, match="could send them twice"):
        send(bitel)
    assert len(adapter.sent) == 1


@pytest.mark.parametrize("method", sorted(SENDS))
def test_a_send_gets_its_429_raised_not_retried(method: str) -> None:
    send, ok = SENDS[method]
    bitel, adapter, clock = make(envelope(None, "TooManyRequests", 429, **{"Retry-After": "2"}), ok)
    with pytest.raises(RateLimitError) as caught:
        send(bitel)
    assert caught.value.retry_after == 2.0
    assert len(adapter.sent) == 1 and clock.sleeps == []


@pytest.mark.parametrize("method", sorted(SENDS))
@pytest.mark.parametrize("connect_failure", [refused, connect_timeout])
def test_a_send_that_never_connected_is_sent_again(method: str, connect_failure) -> None:
    send, ok = SENDS[method]
    bitel, adapter, clock = make(connect_failure(), connect_failure(), ok)
    send(bitel)
    assert [r.method for r in adapter.sent] == ["POST"] * 3
    assert len({r.body for r in adapter.sent}) == 1  # the same request each time
    assert clock.sleeps == [1.0, 2.0]


@pytest.mark.parametrize(
    "failure", [read_timeout, reset_after_send, lambda: envelope(None, "InternalError", 502)]
)
def test_a_split_batch_stops_at_a_request_that_may_have_left_without_repeating_it(
    failure,
) -> None:
    numbers = [f"0912{i:07d}" for i in range(150)]
    first = envelope([sms_record(f"{i:032x}", phoneNumber=n) for i, n in enumerate(numbers[:100])])
    bitel, adapter, clock = make(first, failure(), MANY)
    with pytest.raises(BatchIncompleteError) as caught:
        bitel.send_sms_batch_all(numbers, "hi")
    assert len(adapter.sent) == 2 and clock.sleeps == []
    assert len(caught.value.placed) == 100
    assert caught.value.unsent == numbers[100:]
    assert "could send them twice" in str(caught.value.__cause__)


def test_a_send_read_timeout_is_an_api_timeout_error() -> None:
    bitel, _, _ = make(read_timeout())
    with pytest.raises(APITimeoutError):
        SENDS["single"][0](bitel)


@pytest.mark.parametrize(
    "failure",
    [
        refused,
        connect_timeout,
        read_timeout,
        reset_after_send,
        lambda: envelope(None, "InternalError", 500),
        lambda: envelope(None, "TooManyRequests", 429),
    ],
)
def test_sms_status_is_retried_with_capped_exponential_backoff(failure) -> None:
    bitel, adapter, clock = make(failure(), failure(), failure(), ONE)
    assert bitel.sms_status("c" * 32).id == "c" * 32
    assert [r.method for r in adapter.sent] == ["GET"] * 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_sms_status_gives_up_after_max_retries_with_the_last_error() -> None:
    bitel, adapter, _ = make(*(envelope(None, "InternalError", 503) for _ in range(4)))
    with pytest.raises(ServerError) as caught:
        bitel.sms_status("c" * 32)
    assert len(adapter.sent) == 4
    assert "twice" not in str(caught.value)


STEPS = {
    "refused": refused,
    "connect_timeout": connect_timeout,
    "read_timeout": read_timeout,
    "reset_after_send": reset_after_send,
    "500": lambda: envelope(None, "InternalError", 500),
    "503": lambda: envelope(None, "Unavailable", 503, **{"Retry-After": "1"}),
    "429": lambda: envelope(None, "TooManyRequests", 429),
    "400": lambda: envelope(None, "InvalidGateway", 400),
    "ok": lambda: None,
}
CONNECT_FAILURES = {"refused", "connect_timeout"}


@given(
    method=st.sampled_from(sorted(SENDS)),
    script=st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=6),
    max_retries=st.integers(0, 4),
)
def test_a_send_goes_out_again_only_after_connect_failures(
    method: str, script: list[str], max_retries: int
) -> None:
    send, ok = SENDS[method]
    steps = [ok if name == "ok" else STEPS[name]() for name in script]
    policy = RetryPolicy(max_retries=max_retries, jitter=lambda: 0.0)
    bitel, adapter, clock = make(*steps, ok, policy=policy)
    leading = next(
        (i for i, name in enumerate(script) if name not in CONNECT_FAILURES), len(script)
    )
    last = min(leading, max_retries)  # the attempt whose outcome the caller sees
    outcome = [*script, "ok"][last]
    try:
        send(bitel)
    except (APIConnectionError, APIError):
        assert outcome != "ok"
    else:
        assert outcome == "ok"
    assert len(adapter.sent) == last + 1
    assert len(clock.sleeps) == len(adapter.sent) - 1
