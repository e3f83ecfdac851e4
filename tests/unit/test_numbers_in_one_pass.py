"""A request whose numbers are all local and none magic is checked in one pass; whatever the
numbers, the calls placed are those checked and scripted one number at a time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.calls import CallRules, CallService
from bitel_mock.domain.clock import FixedClock
from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.lifecycle import Timing, plan_call
from bitel_mock.domain.model import CallKind, CallRequest
from bitel_mock.domain.outcomes import DEFAULT_SCRIPT, magic_script
from bitel_mock.domain.phone import NumberForm, NumberPolicy
from bitel_mock.errors import InvalidRequest
from bitel_mock.store.memory import MemoryStore

START = 1_700_000_000
local = st.from_regex(r"\A09[0-9]{9}\Z")
magic = st.from_regex(r"\A0999000[0-9]{4}\Z")
other_forms = local.map(lambda n: "+98" + n[1:]) | local.map(
    lambda n: n.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
)
odd = st.sampled_from(
    ["", "0912345678", "091234567890", "09123456789,", "09123,456789", "0912345678a"]
)
joined = st.tuples(local, local).map(",".join)  # two numbers in one string
numbers = st.lists(local | magic | other_forms | odd | joined, min_size=1, max_size=30)


def _service() -> CallService:
    policy = NumberPolicy(
        frozenset({NumberForm.LOCAL, NumberForm.PLUS98, NumberForm.PERSIAN_DIGITS})
    )
    return CallService(
        store=MemoryStore(),
        clock=FixedClock(START),
        ids=IdCodec(9),
        rules=CallRules(numbers=policy, server_ids=frozenset({"1"})),
    )


@given(numbers)
def test_calls_are_placed_as_checked_one_number_at_a_time(sent: list[str]) -> None:
    _check(sent)


def _check(sent: list[str]) -> None:
    service = _service()
    expected = [service.rules.numbers.to_local(number) for number in sent]
    request = CallRequest(kind=CallKind.BATCH, phone_numbers=tuple(sent), voice_id="v")
    if None in expected:
        with pytest.raises(
            InvalidRequest, match=f"^number {expected.index(None)} is in no accepted form$"
        ):
            service.place(request)
        assert service.store.count_calls() == 0
        return
    placed = service.place(request)
    assert [call.local_number for call in placed] == expected
    assert [call.phone_number for call in placed] == sent
    for call in placed:
        script = magic_script(call.local_number) or DEFAULT_SCRIPT
        assert call.plan == plan_call(
            request_date=START, retry_count=1, script=script, talk_seconds=20, timing=Timing()
        )


@given(st.lists(local, min_size=1, max_size=100), st.lists(magic, max_size=2))
def test_local_numbers_with_or_without_magic_ones_are_placed_alike(
    plain: list[str], magic_ones: list[str]
) -> None:
    _check([*plain, *magic_ones])
    placed = _service().place(
        CallRequest(kind=CallKind.BATCH, phone_numbers=tuple(plain), voice_id="v")
    )
    if not any(number.startswith("0999000") for number in plain):
        assert len(placed.batch.plans) == 1 and placed.batch.plan_of is None
