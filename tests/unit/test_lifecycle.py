"""Properties of a call's plan and of its record over time (no HTTP)."""

from __future__ import annotations

import math
import random

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.lifecycle import RETRIED, Timing, plan_call, price_of, record_at
from bitel_mock.domain.model import Call, CallKind, CallStatus
from bitel_mock.domain.outcomes import SCRIPT_OUTCOMES, AttemptSpec, Distribution, choose_script

timings = st.builds(
    Timing,
    queue_seconds=st.integers(0, 600),
    ring_seconds=st.integers(0, 120),
    no_answer_seconds=st.integers(0, 120),
    talk_seconds=st.integers(1, 3600),
    retry_interval=st.integers(0, 3600),
    time_to_live=st.integers(1, 86_400),
    tariff=st.sampled_from([0.0, 1.0, 2.85, 3.333]),
)
specs = st.builds(
    AttemptSpec,
    status=st.sampled_from(sorted(SCRIPT_OUTCOMES, key=lambda s: s.code)),
    talk_seconds=st.none() | st.integers(1, 600),
    ring_seconds=st.none() | st.integers(0, 120),
)
scripts = st.lists(specs, min_size=1, max_size=6).map(tuple)
request_dates = st.integers(1_500_000_000, 2_000_000_000)


def make_call(plan, request_date: int) -> Call:
    return Call(
        id="0" * 32, sequence=0, phone_number="09120000000", local_number="09120000000",
        kind=CallKind.BATCH, request_date=request_date, retry_count=0, plan=plan,
    )


@given(timings, scripts, st.integers(0, 10), request_dates, st.integers(1, 600))
def test_a_plan_keeps_every_rule(timing: Timing, script, retry_count: int, request_date: int, talk: int) -> None:
    plan = plan_call(request_date=request_date, retry_count=retry_count, script=script, talk_seconds=talk, timing=timing)
    assert len(plan.attempts) <= retry_count + 1
    assert plan.status.is_final
    assert request_date <= plan.execution_date <= plan.final_at <= request_date + timing.time_to_live
    assert (plan.bill_sec > 0) == (plan.status is CallStatus.NORMAL)
    assert plan.price == price_of(plan.bill_sec, timing.tariff)
    assert math.isclose(plan.price, -plan.bill_sec * timing.tariff, abs_tol=0.005)
    for earlier, later in zip(plan.attempts, plan.attempts[1:], strict=False):
        assert earlier.outcome in RETRIED
        assert later.start == earlier.end + timing.retry_interval
    for index, attempt in enumerate(plan.attempts):
        spec = script[min(index, len(script) - 1)]
        assert attempt.outcome is spec.status
        assert attempt.end <= request_date + timing.time_to_live
    if plan.status is CallStatus.EXPIRED:
        assert plan.final_at == request_date + timing.time_to_live
    else:
        last = plan.attempts[-1]
        assert (plan.status, plan.final_at, plan.execution_date) == (last.outcome, last.end, last.start)


@given(timings, scripts, st.integers(0, 10), request_dates, st.lists(st.integers(0, 100_000), min_size=1, max_size=20))
def test_a_record_goes_from_waiting_to_one_final_status_and_stays(timing, script, retry_count, request_date, moves) -> None:
    plan = plan_call(request_date=request_date, retry_count=retry_count, script=script, talk_seconds=20, timing=timing)
    call = make_call(plan, request_date)
    now = request_date
    seen = []
    for move in moves:
        now += move
        seen.append(record_at(call, now))
    statuses = [record.status for record in seen]
    finals = {record for record in seen if record.status.is_final}
    assert len(finals) <= 1, "a final record never changes"
    if finals:
        first_final = next(i for i, s in enumerate(statuses) if s.is_final)
        assert all(s is CallStatus.WAITING for s in statuses[:first_final])
        assert all(s.is_final for s in statuses[first_final:])
        [final] = finals
        assert final.execution_date >= final.request_date
        assert (final.bill_sec > 0) == (final.status is CallStatus.NORMAL)
        assert final.price == price_of(final.bill_sec, timing.tariff)
    for record in seen:
        if record.status is CallStatus.WAITING:
            assert (record.bill_sec, record.execution_date, record.price) == (0, 0, 0.0)


@given(timings, scripts, st.integers(0, 10), request_dates)
def test_the_record_is_final_exactly_from_final_at(timing, script, retry_count, request_date) -> None:
    plan = plan_call(request_date=request_date, retry_count=retry_count, script=script, talk_seconds=20, timing=timing)
    call = make_call(plan, request_date)
    assert record_at(call, plan.final_at - 0.001).status is CallStatus.WAITING or plan.final_at == request_date
    assert record_at(call, plan.final_at).status is plan.status


@given(st.integers(0, 10), request_dates)
def test_with_default_settings_every_call_is_final_within_four_hours(retry_count: int, request_date: int) -> None:
    timing = Timing()
    for status in SCRIPT_OUTCOMES:
        plan = plan_call(request_date=request_date, retry_count=retry_count, script=(AttemptSpec(status),), talk_seconds=20, timing=timing)
        assert plan.final_at <= request_date + 4 * 3600


@given(st.integers(), st.integers(0, 2**40), st.integers(1, 11))
def test_the_same_seed_gives_the_same_drawn_scripts(seed: int, sequence: int, attempts: int) -> None:
    weights = Distribution.parse("NORMAL=0.5,NO_ANSWER=0.3,USER_BUSY=0.2")

    def draw() -> tuple[AttemptSpec, ...]:
        return choose_script("09120000000", [], weights, random.Random(f"bitel-mock:{seed}:{sequence}"), attempts)

    assert draw() == draw()
    assert len(draw()) == attempts


def test_the_vendors_sample_bill() -> None:
    assert price_of(12, 2.85) == -34.2
    assert price_of(0, 2.85) == 0.0 and math.copysign(1, price_of(0, 2.85)) == 1.0
