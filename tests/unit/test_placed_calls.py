"""A request's calls as one value (`CallBatch`, numbered: `PlacedCalls`) stands for exactly the
calls made one by one: the same ids, numbers, plans and campaign id, the same records and wire
answers; ids made in a run are the ids made one at a time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.lifecycle import record_at, wire_records_at
from bitel_mock.domain.model import Call, CallBatch, CallKind, CallStatus, PlacedCalls
from tests.factories import plan_for

START = 1_700_000_000
PLANS = (
    plan_for(START),
    plan_for(START, 2, CallStatus.USER_BUSY, CallStatus.NO_ANSWER),
    plan_for(START, 1, CallStatus.ERROR, ring_seconds=0, queue_seconds=0),
)
keys = st.integers(min_value=0, max_value=2**128 - 1)
numbers = st.from_regex(r"\A09[0-9]{9}\Z")


@st.composite
def batches(draw: st.DrawFn) -> CallBatch:
    count = draw(st.integers(min_value=1, max_value=120))
    plans = draw(st.integers(min_value=1, max_value=len(PLANS)))
    sent = draw(st.lists(numbers, min_size=count, max_size=count))
    plan_of = None
    if plans > 1:
        plan_of = tuple(draw(st.lists(st.integers(0, plans - 1), min_size=count, max_size=count)))
    return CallBatch(
        id_key=draw(keys),
        phone_numbers=tuple("+98" + n[1:] if i % 3 == 0 else n for i, n in enumerate(sent)),
        local_numbers=tuple(sent),
        plans=PLANS[:plans],
        plan_of=plan_of,
        kind=draw(st.sampled_from(list(CallKind))),
        request_date=START,
        retry_count=draw(st.integers(0, 5)),
        voice_id=draw(st.none() | st.just("08e815cbcd724386805103ac0d45e4c2")),
        text=draw(st.none() | st.text(max_size=20)),
        server_id=draw(st.none() | st.just("2")),
        repeat_count=draw(st.none() | st.integers(1, 3)),
        token_fingerprint=draw(st.none() | st.just("0123456789abcdef")),
    )


def _one_by_one(batch: CallBatch, first: int) -> list[Call]:
    codec = IdCodec(batch.id_key)
    return [
        Call(
            id=codec.encode(first + offset),
            sequence=first + offset,
            phone_number=batch.phone_numbers[offset],
            local_number=batch.local_numbers[offset],
            kind=batch.kind,
            request_date=batch.request_date,
            retry_count=batch.retry_count,
            plan=batch.plans[0 if batch.plan_of is None else batch.plan_of[offset]],
            voice_id=batch.voice_id,
            text=batch.text,
            server_id=batch.server_id,
            repeat_count=batch.repeat_count,
            campaign_id=codec.campaign_id(first),
            token_fingerprint=batch.token_fingerprint,
        )
        for offset in range(len(batch))
    ]


@given(batches(), st.integers(min_value=0, max_value=2**62 - 200))
def test_placed_calls_are_the_calls_made_one_by_one(batch: CallBatch, first: int) -> None:
    placed = PlacedCalls(batch, first)
    expected = _one_by_one(batch, first)
    assert len(placed) == len(expected) and list(placed) == expected and placed == expected
    assert placed[-1] == expected[-1] and placed[1:3] == expected[1:3]
    assert placed.ids == [call.id for call in expected]
    assert placed.campaign_id == expected[0].campaign_id
    with pytest.raises(IndexError):
        placed[len(expected)]


@given(batches(), st.integers(min_value=0, max_value=3 * 3600))
def test_the_wire_records_are_each_calls_record(batch: CallBatch, seconds: int) -> None:
    placed = PlacedCalls(batch, 40)
    now = START + seconds
    assert wire_records_at(placed, now) == [record_at(call, now).to_wire() for call in placed]


@given(keys, st.integers(min_value=0, max_value=2**62 - 1), st.integers(min_value=0, max_value=120))
def test_ids_made_in_a_run_are_the_ids_made_one_at_a_time(key: int, first: int, count: int) -> None:
    codec = IdCodec(key)
    count = min(count, 2**62 - first)
    assert codec.encode_run(first, count) == [codec.encode(first + n) for n in range(count)]


def test_a_run_past_the_last_sequence_is_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        IdCodec(1).encode_run(2**62 - 1, 2)
    with pytest.raises(ValueError, match="out of range"):
        IdCodec(1).encode_run(-1, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"local_numbers": ("09121234567",)}, "its local form"),
        ({"plans": ()}, "a plan"),
        ({"plan_of": (0,)}, "plan index"),
        ({"plan_of": (0, 1)}, "plan index"),
        ({"plan_of": (0, -1)}, "plan index"),
    ],
)
def test_a_batch_that_does_not_hold_together_is_refused(change: dict, message: str) -> None:
    fields = {
        "id_key": 1,
        "phone_numbers": ("09121234567", "09121234568"),
        "local_numbers": ("09121234567", "09121234568"),
        "plans": PLANS[:1],
        "plan_of": None,
        "kind": CallKind.BATCH,
        "request_date": START,
        "retry_count": 1,
    }
    with pytest.raises(ValueError, match=message):
        CallBatch(**{**fields, **change})
