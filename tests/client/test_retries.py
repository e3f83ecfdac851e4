"""The retry policy against scripted failures: how many attempts, which delays, and never a
second call-placing POST once the request may have reached the server."""

from __future__ import annotations

import random
import socket
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.client import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BitelClient,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from bitel_mock.client.retry import Failure, parse_retry_after
from bitel_mock.threaded import ThreadedServer
from tests.client.scripted import (
    BASE_URL,
    FakeClock,
    connect_timeout,
    envelope,
    read_timeout,
    record,
    refused,
    reset_after_send,
    scripted_session,
)
from tests.conftest import VOICE_ID

NO_JITTER = RetryPolicy(max_retries=3, initial_delay=1.0, max_delay=4.0, jitter=lambda: 1.0)
OK_STATUS = envelope(record())
OK_BATCH = envelope([record()])


def make(*steps, policy: RetryPolicy = NO_JITTER):
    session, adapter = scripted_session(*steps)
    clock = FakeClock()
    bitel = BitelClient("t", base_url=BASE_URL, session=session, retry_policy=policy, clock=clock)
    return bitel, adapter, clock


def place(bitel: BitelClient):
    return bitel.batch_call(phone_numbers=["09121234567"], voice_id=VOICE_ID)


# --- call_status (safe to repeat) -----------------------------------------------


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
def test_status_is_retried_with_capped_exponential_backoff(failure) -> None:
    bitel, adapter, clock = make(failure(), failure(), failure(), OK_STATUS)
    assert bitel.call_status("a" * 32).id == "a" * 32
    assert len(adapter.sent) == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(max_retries=6, initial_delay=1.0, max_delay=4.0, jitter=lambda: 1.0)
    assert [policy.backoff(n) for n in range(1, 7)] == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]


def test_status_gives_up_after_max_retries_with_the_last_error() -> None:
    bitel, adapter, _ = make(*(envelope(None, "InternalError", 503) for _ in range(4)))
    with pytest.raises(ServerError) as caught:
        bitel.call_status("a" * 32)
    assert len(adapter.sent) == 4
    assert caught.value.http_status == 503
    assert "twice" not in str(caught.value)  # a status request places nothing


def test_status_timeout_is_raised_as_api_timeout_error_with_the_cause() -> None:
    bitel, adapter, _ = make(*(read_timeout() for _ in range(4)))
    with pytest.raises(APITimeoutError) as caught:
        bitel.call_status("a" * 32)
    assert len(adapter.sent) == 4
    assert caught.value.never_connected is False
    assert caught.value.__cause__ is not None


def test_jitter_scales_each_delay_between_half_and_full() -> None:
    policy = RetryPolicy(
        max_retries=3, initial_delay=1.0, max_delay=4.0, jitter=random.Random(7).random
    )
    expected_rng = random.Random(7)
    values = [expected_rng.random() for _ in range(3)]
    bitel, _, clock = make(read_timeout(), read_timeout(), read_timeout(), OK_STATUS, policy=policy)
    bitel.call_status("a" * 32)
    assert clock.sleeps == pytest.approx(
        [base * (0.5 + 0.5 * v) for base, v in zip([1, 2, 4], values, strict=True)]
    )


@pytest.mark.parametrize(
    ("header", "expected"), [("7", 7.0), ("Tue, 14 Nov 2023 22:13:40 GMT", 20.0)]
)
def test_retry_after_is_honoured_in_seconds_and_as_http_date(header: str, expected: float) -> None:
    # FakeClock starts at 1_700_000_000 = Tue, 14 Nov 2023 22:13:20 GMT.
    bitel, adapter, clock = make(
        envelope(None, "TooManyRequests", 429, **{"Retry-After": header}), OK_STATUS
    )
    bitel.call_status("a" * 32)
    assert clock.sleeps == [expected]
    assert len(adapter.sent) == 2


def test_retry_after_shorter_than_the_backoff_keeps_the_backoff() -> None:
    bitel, _, clock = make(
        envelope(None, "TooManyRequests", 429, **{"Retry-After": "0"}), OK_STATUS
    )
    bitel.call_status("a" * 32)
    assert clock.sleeps == [1.0]


def test_retry_after_beyond_the_cap_is_not_waited_for() -> None:
    bitel, adapter, clock = make(envelope(None, "TooManyRequests", 429, **{"Retry-After": "3600"}))
    with pytest.raises(RateLimitError) as caught:
        bitel.call_status("a" * 32)
    assert caught.value.retry_after == 3600.0
    assert clock.sleeps == []
    assert len(adapter.sent) == 1


def test_client_errors_are_not_retried() -> None:
    bitel, adapter, _ = make(envelope(None, "NotFound", 404))
    with pytest.raises(Exception, match="NotFound"):
        bitel.call_status("a" * 32)
    assert len(adapter.sent) == 1


# --- call-placing POSTs (never twice) -------------------------------------------


@pytest.mark.parametrize("connect_failure", [refused, connect_timeout])
def test_post_is_retried_after_a_connect_failure(connect_failure) -> None:
    bitel, adapter, clock = make(connect_failure(), OK_BATCH)
    assert len(place(bitel)) == 1
    assert [r.method for r in adapter.sent] == ["POST", "POST"]
    assert clock.sleeps == [1.0]


@pytest.mark.parametrize("failure", [read_timeout, reset_after_send])
def test_post_is_never_sent_twice_after_the_request_may_have_left(failure) -> None:
    bitel, adapter, clock = make(failure(), OK_BATCH)
    with pytest.raises(APIConnectionError, match="could place them twice") as caught:
        place(bitel)
    assert len(adapter.sent) == 1
    assert clock.sleeps == []
    assert caught.value.never_connected is False
    assert caught.value.__cause__ is not None


def test_post_read_timeout_is_an_api_timeout_error() -> None:
    bitel, _, _ = make(read_timeout())
    with pytest.raises(APITimeoutError):
        place(bitel)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_post_is_never_sent_twice_after_a_5xx(status: int) -> None:
    bitel, adapter, _ = make(envelope(None, "InternalError", status), OK_BATCH)
    with pytest.raises(ServerError, match="could place them twice"):
        place(bitel)
    assert len(adapter.sent) == 1


def test_post_gets_the_429_raised_not_retried() -> None:
    bitel, adapter, _ = make(
        envelope(None, "TooManyRequests", 429, **{"Retry-After": "2"}), OK_BATCH
    )
    with pytest.raises(RateLimitError) as caught:
        place(bitel)
    assert caught.value.retry_after == 2.0
    assert len(adapter.sent) == 1


def test_post_connect_failures_stop_at_max_retries() -> None:
    bitel, adapter, clock = make(refused(), refused(), refused(), refused(), OK_BATCH)
    with pytest.raises(APIConnectionError) as caught:
        place(bitel)
    assert caught.value.never_connected is True
    assert len(adapter.sent) == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_connect_then_read_timeout_stops_at_the_read_timeout() -> None:
    bitel, adapter, _ = make(connect_timeout(), read_timeout(), OK_BATCH)
    with pytest.raises(APITimeoutError, match="twice"):
        place(bitel)
    assert len(adapter.sent) == 2


# --- the policy as a value ------------------------------------------------------


@given(
    retries_done=st.integers(0, 10),
    failure=st.sampled_from(Failure),
    idempotent=st.booleans(),
    retry_after=st.none() | st.floats(0, 1000),
    jitter=st.floats(0, 1, exclude_max=True),
)
def test_policy_never_repeats_a_call_placing_request_unless_never_connected(
    retries_done: int, failure: Failure, idempotent: bool, retry_after: float | None, jitter: float
) -> None:
    policy = RetryPolicy(max_retries=3, initial_delay=0.5, max_delay=8.0, jitter=lambda: jitter)
    delay = policy.next_delay(retries_done, failure, idempotent=idempotent, retry_after=retry_after)
    if not idempotent and failure is not Failure.NOT_CONNECTED:
        assert delay is None
    if retries_done >= 3 or (retry_after is not None and retry_after > policy.max_retry_after):
        assert delay is None
    if delay is not None:
        assert 0.25 <= delay <= max(8.0, retry_after or 0)
        if retry_after is not None:
            assert delay >= retry_after


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("soon", None),
        ("12", 12.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("Tue, 14 Nov 2023 22:13:10 GMT", 0.0),
        ("Tue, 14 Nov 2023 22:14:20 GMT", 60.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=1_700_000_000.0) == expected


# --- over a real socket ---------------------------------------------------------


def test_refused_connection_over_a_real_socket_is_retried_then_raised() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clock = FakeClock()
    with (
        BitelClient(
            "t", base_url=f"http://127.0.0.1:{port}", retry_policy=NO_JITTER, clock=clock
        ) as bitel,
        pytest.raises(APIConnectionError) as caught,
    ):
        place(bitel)
    assert caught.value.never_connected is True
    assert clock.sleeps == [1.0, 2.0, 4.0]  # connect failures are provably safe to retry


def test_read_timeout_over_a_real_socket_sends_the_post_once() -> None:
    release = threading.Event()
    hits: list[str] = []

    def stalling_app(environ, start_response):
        hits.append(environ["REQUEST_METHOD"])
        release.wait(10)  # answers only once the test has seen the timeout
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
        return [b"late"]

    clock = FakeClock()
    with ThreadedServer(stalling_app) as server:
        try:
            with (
                BitelClient(
                    "t",
                    base_url=server.url,
                    timeout=(5.0, 0.2),
                    retry_policy=NO_JITTER,
                    clock=clock,
                ) as bitel,
                pytest.raises(APITimeoutError, match="twice") as caught,
            ):
                place(bitel)
        finally:
            release.set()
    assert hits == ["POST"]
    assert caught.value.never_connected is False
    assert clock.sleeps == []


def test_a_url_requests_cannot_use_is_an_invalid_argument_never_a_requests_exception() -> None:
    from bitel_mock.client import InvalidArgumentError

    with (
        BitelClient("t", base_url="htp:/nowhere", clock=FakeClock()) as bitel,
        pytest.raises(InvalidArgumentError) as caught,
    ):
        bitel.call_status("a" * 32)
    assert caught.value.__cause__ is not None


STEPS = {
    "refused": refused,
    "connect_timeout": connect_timeout,
    "read_timeout": read_timeout,
    "reset_after_send": reset_after_send,
    "500": lambda: envelope(None, "InternalError", 500),
    "503": lambda: envelope(None, "Unavailable", 503, **{"Retry-After": "1"}),
    "429": lambda: envelope(None, "TooManyRequests", 429),
    "400": lambda: envelope(None, "InvalidRequest", 400),
    "ok": lambda: OK_BATCH,
}
CONNECT_FAILURES = {"refused", "connect_timeout"}


@given(
    script=st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=6),
    max_retries=st.integers(0, 4),
)
def test_a_post_is_sent_again_only_after_connect_failures(
    script: list[str], max_retries: int
) -> None:
    policy = RetryPolicy(max_retries=max_retries, jitter=lambda: 0.0)
    bitel, adapter, clock = make(*(STEPS[name]() for name in script), OK_BATCH, policy=policy)
    leading = next(
        (i for i, name in enumerate(script) if name not in CONNECT_FAILURES), len(script)
    )
    last = min(leading, max_retries)  # the attempt whose outcome the caller sees
    outcome = [*script, "ok"][last]
    try:
        place(bitel)
    except (APIConnectionError, APIError):
        assert outcome != "ok"
    else:
        assert outcome == "ok"
    # Sent once, plus once after each connect failure the policy allows for.
    assert len(adapter.sent) == last + 1
    assert len(clock.sleeps) == len(adapter.sent) - 1
