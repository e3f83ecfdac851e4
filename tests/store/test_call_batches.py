"""A request's calls as one value: every store numbers and keeps a batch in one write
(`add_batch`), and gives back each call as the batch made it, with its id and campaign id."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.model import Call, PlacedCalls
from bitel_mock.store import Store
from bitel_mock.store.errors import StoreReplaced
from tests.store.batches import batch_of
from tests.store.conftest import STORE_KINDS
from tests.store.test_store_identity import Backing, _lose_state, _place

EVERY_STORE = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
OUTSIDE_PYTHON = pytest.mark.parametrize("make_store", ["sqlite", "redis"], indirect=True)
"""Stores whose state can be put back behind their back."""


def _expected(store: Store, placed: PlacedCalls) -> list[Call]:
    """The calls the batch stands for, made one by one."""
    batch, codec = placed.batch, IdCodec(placed.batch.id_key)
    return [
        Call(
            id=codec.encode(placed.first_sequence + offset),
            sequence=placed.first_sequence + offset,
            phone_number=batch.phone_numbers[offset],
            local_number=batch.local_numbers[offset],
            kind=batch.kind,
            request_date=batch.request_date,
            retry_count=batch.retry_count,
            plan=batch.plan_at(offset),
            voice_id=batch.voice_id,
            text=batch.text,
            server_id=batch.server_id,
            repeat_count=batch.repeat_count,
            campaign_id=codec.campaign_id(placed.first_sequence),
            token_fingerprint=batch.token_fingerprint,
        )
        for offset in range(len(batch))
    ]


@EVERY_STORE
def test_batches_take_the_next_numbers_as_allocation_does(store: Store) -> None:
    first = store.add_batch(batch_of(3))
    allocated = store.allocate_sequence(2)
    second = store.add_batch(batch_of(100))
    assert (allocated, second) == (first + 3, first + 5)
    assert store.allocate_sequence(1) == first + 105
    assert store.count_calls() == 103


@EVERY_STORE
def test_every_call_of_a_batch_is_found_as_the_batch_made_it(store: Store) -> None:
    batch = batch_of(7, sent="+989121234567", busy_every=3, token="0123456789abcdef")
    placed = PlacedCalls(batch, store.add_batch(batch))
    expected = _expected(store, placed)
    assert list(placed) == expected
    assert [store.get_call(call.sequence) for call in expected] == expected
    assert store.get_call(placed.first_sequence + 7) is None
    assert store.list_calls() == expected


@EVERY_STORE
def test_two_batches_alike_are_two_requests(store: Store) -> None:
    """Nothing in a kept batch names its numbers: two requests alike are kept apart."""
    firsts = [store.add_batch(batch_of(2)) for _ in range(2)]
    assert firsts[1] == firsts[0] + 2
    assert [call.sequence for call in store.list_calls()] == [
        firsts[0],
        firsts[0] + 1,
        firsts[1],
        firsts[1] + 1,
    ]
    assert store.count_calls() == 4


@EVERY_STORE
def test_batches_and_calls_kept_one_by_one_live_side_by_side(store: Store) -> None:
    older = _place(store, 3)  # kept as a table of calls, as before batches
    batch = batch_of(2)
    placed = PlacedCalls(batch, store.add_batch(batch))
    assert store.list_calls() == [*older, *_expected(store, placed)]
    assert [store.get_call(call.sequence) for call in older] == older


@EVERY_STORE
def test_a_batch_numbered_beforehand_is_kept_as_one_value(store: Store) -> None:
    """With webhook events, calls are numbered first and kept with their events."""
    batch = batch_of(4, busy_every=2)
    placed = PlacedCalls(batch, store.allocate_sequence(4))
    store.add_calls(placed)
    assert store.list_calls() == _expected(store, placed)
    assert store.allocate_sequence(1) == placed.first_sequence + 4


@EVERY_STORE
def test_another_handle_finds_the_batch(make_store: Callable[[], Store]) -> None:
    first, second = make_store(), make_store()
    batch = batch_of(5, busy_every=2)
    placed = PlacedCalls(batch, first.add_batch(batch))
    assert second.list_calls() == _expected(second, placed)
    assert second.add_batch(batch_of(1)) == placed.first_sequence + 5


@EVERY_STORE
def test_a_reset_forgets_batches_and_numbers_on(store: Store) -> None:
    first = store.add_batch(batch_of(3))
    store.reset()
    assert store.list_calls() == [] and store.count_calls() == 0
    assert store.add_batch(batch_of(1)) == first + 3


@EVERY_STORE
def test_a_store_whose_state_came_back_empty_keeps_no_batch(store: Store, behind: Backing) -> None:
    store.add_batch(batch_of(2))
    _lose_state(store, behind)
    with pytest.raises(StoreReplaced, match="no id is issued twice"):
        store.add_batch(batch_of(2))
    with pytest.raises(StoreReplaced):
        store.add_batch(batch_of(2))
    assert store.count_calls() == 0


@OUTSIDE_PYTHON
def test_a_store_whose_state_went_back_in_time_keeps_no_batch(
    store: Store, behind: Backing
) -> None:
    store.add_batch(batch_of(2))
    older = behind.copy()
    store.add_batch(batch_of(5))
    behind.restore(older)
    with pytest.raises(StoreReplaced, match="went backwards"):
        store.add_batch(batch_of(1))
    assert store.count_calls() == 2  # as restored: the refused batch is not kept
