"""Calls share plans: a request's calls with one script share one plan, and requests of the same
second share their plans with each other (a bounded number are kept); a plan made again is the
same plan."""

from __future__ import annotations

from bitel_mock.domain.calls import PLANS_KEPT, CallRules, CallService
from bitel_mock.domain.clock import FixedClock
from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.lifecycle import Timing, plan_call
from bitel_mock.domain.model import CallKind, CallRequest
from bitel_mock.domain.outcomes import DEFAULT_SCRIPT, magic_script
from bitel_mock.domain.phone import NumberPolicy
from bitel_mock.store.memory import MemoryStore

START = 1_700_000_000
BUSY_TWICE = "09990000203"  # a magic number: busy twice, then answered


def _service(clock: FixedClock) -> CallService:
    return CallService(
        store=MemoryStore(),
        clock=clock,
        ids=IdCodec(5),
        rules=CallRules(numbers=NumberPolicy(), server_ids=frozenset({"1"})),
    )


def _request(*numbers: str, retry_count: int = 2) -> CallRequest:
    return CallRequest(
        kind=CallKind.BATCH, phone_numbers=numbers, retry_count=retry_count, voice_id="v"
    )


def test_calls_of_one_script_share_one_plan() -> None:
    placed = _service(FixedClock(START)).place(_request("09121234567", BUSY_TWICE, "09121234568"))
    assert len(placed.batch.plans) == 2 and placed.batch.plan_of == (0, 1, 0)
    assert placed[0].plan is placed[2].plan is placed.batch.plans[0]
    assert placed.batch.plans[0] == plan_call(
        request_date=START, retry_count=2, script=DEFAULT_SCRIPT, talk_seconds=20, timing=Timing()
    )
    script = magic_script(BUSY_TWICE)
    assert script is not None
    assert placed.batch.plans[1] == plan_call(
        request_date=START, retry_count=2, script=script, talk_seconds=20, timing=Timing()
    )


def test_requests_of_the_same_second_share_their_plans() -> None:
    clock = FixedClock(START + 0.2)
    service = _service(clock)
    first = service.place(_request("09121234567"))
    clock.set(START + 0.9)
    again = service.place(_request("09121234568"))
    assert again.batch.plans[0] is first.batch.plans[0]
    assert (
        service.place(_request("09121234567", retry_count=0)).batch.plans[0]
        is not first.batch.plans[0]
    )
    clock.set(START + 1)
    later = service.place(_request("09121234567"))
    assert later.batch.plans[0] is not first.batch.plans[0]
    assert later.batch.plans[0].final_at == first.batch.plans[0].final_at + 1


def test_a_bounded_number_of_plans_is_kept() -> None:
    assert PLANS_KEPT == 256
    clock = FixedClock(START)
    service = _service(clock)
    for second in range(PLANS_KEPT + 10):
        clock.set(START + second)
        service.place(_request("09121234567"))
        assert len(service._plans) <= PLANS_KEPT
