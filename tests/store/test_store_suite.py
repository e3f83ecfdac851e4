"""One suite every store passes: memory, SQLite and Redis."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.model import Call, CallKind, CallStatus
from bitel_mock.store import Store
from tests.factories import plan_for
from tests.store.conftest import STORE_KINDS

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)


def _calls(store: Store, count: int, *, number: str = "09121234567", kind: CallKind = CallKind.BATCH) -> list[Call]:
    first = store.allocate_sequence(count)
    ids = IdCodec(store.id_key())
    return [
        Call(
            id=ids.encode(first + offset),
            sequence=first + offset,
            phone_number=number,
            local_number=number,
            kind=kind,
            request_date=1_700_000_000 + offset,
            retry_count=offset % 4,
            plan=plan_for(1_700_000_000 + offset, offset % 4, *[CallStatus.USER_BUSY] * (offset % 3)),
            voice_id="08e815cbcd724386805103ac0d45e4c2" if offset % 2 else None,
            text="سلام" if offset % 3 == 0 else None,
        )
        for offset in range(count)
    ]


def test_sequences_are_consecutive_and_never_reused(store: Store) -> None:
    first = store.allocate_sequence(3)
    second = store.allocate_sequence(100)
    third = store.allocate_sequence(1)
    assert (second, third) == (first + 3, first + 103)


def test_every_call_of_every_request_is_found_by_its_sequence(store: Store) -> None:
    requests = [_calls(store, size) for size in (1, 2, 100, 7)]
    for calls in requests:
        store.add_calls(calls)
    for calls in requests:
        for call in calls:
            assert store.get_call(call.sequence) == call
    assert store.count_calls() == 110


def test_unknown_sequences_are_none(store: Store) -> None:
    assert store.get_call(0) is None
    calls = _calls(store, 3)
    store.add_calls(calls)
    assert store.get_call(calls[-1].sequence + 1) is None
    assert store.get_call(calls[-1].sequence + 1000) is None


def test_allocated_but_unkept_sequences_are_none(store: Store) -> None:
    lost = store.allocate_sequence(5)
    kept = _calls(store, 2)
    store.add_calls(kept)
    assert all(store.get_call(lost + offset) is None for offset in range(5))
    assert store.get_call(kept[0].sequence) == kept[0]


def test_the_id_key_is_stable(store: Store) -> None:
    assert store.id_key() == store.id_key()
    assert 0 <= store.id_key() < 1 << 128


def test_reset_forgets_calls_but_never_reuses_an_id(store: Store) -> None:
    calls = _calls(store, 4)
    store.add_calls(calls)
    key = store.id_key()
    store.reset()
    assert store.count_calls() == 0
    assert store.get_call(calls[0].sequence) is None
    assert store.list_calls() == []
    assert store.id_key() == key
    assert store.allocate_sequence(1) == calls[-1].sequence + 1


def test_every_call_is_listed_oldest_first(store: Store) -> None:
    first, second = _calls(store, 3), _calls(store, 2)
    store.add_calls(first)
    store.add_calls(second)
    assert store.list_calls() == first + second


def test_a_second_handle_sees_the_same_state(make_store: Callable[[], Store]) -> None:
    first = make_store()
    calls = _calls(first, 5)
    first.add_calls(calls)
    second = make_store()
    assert second.id_key() == first.id_key()
    assert second.count_calls() == 5
    assert [second.get_call(call.sequence) for call in calls] == calls
    assert second.allocate_sequence(1) == calls[-1].sequence + 1


def test_allocation_is_atomic_across_threads(store: Store) -> None:
    firsts: list[int] = []
    lock = threading.Lock()

    def allocate() -> None:
        for _ in range(50):
            first = store.allocate_sequence(3)
            with lock:
                firsts.append(first)

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == list(range(min(firsts), min(firsts) + 600, 3))
