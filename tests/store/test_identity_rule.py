"""The rule behind `StoreIdentity`, as properties: whatever a store's counter and identity do,
one process never accepts a number twice, never refuses while the store behaves, and once it
refuses it refuses for good."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.store.errors import StoreReplaced
from bitel_mock.store.identity import StoreIdentity

OPENED = "a" * 32


@dataclass
class FakeStore:
    """A shared counter and identity, as kept by a real store."""

    identity: str | None = OPENED
    counter: int = 0
    given: list[range] = field(default_factory=list)

    def allocate(self, process: StoreIdentity, count: int) -> int:
        """What a store's `allocate_sequence` does: check, count, check."""
        floor = process.floor
        process.confirm(self.identity)
        first = self.counter
        self.counter += count
        return process.accept(first, count, floor)


allocate = st.tuples(st.just("allocate"), st.integers(1, 100))
rewind = st.tuples(st.just("rewind"), st.integers(0, 1_000))
empty = st.tuples(st.just("empty"), st.just(0))
replace = st.tuples(st.just("replace"), st.just(0))


def _run(steps: list[tuple[str, int]]) -> tuple[list[range], list[str]]:
    store, process = FakeStore(), StoreIdentity(OPENED)
    accepted: list[range] = []
    outcomes: list[str] = []
    for action, value in steps:
        if action == "allocate":
            try:
                first = store.allocate(process, value)
            except StoreReplaced:
                outcomes.append("refused")
            else:
                accepted.append(range(first, first + value))
                outcomes.append("accepted")
        elif action == "rewind":
            store.counter = min(store.counter, value)
        elif action == "empty":
            store.identity, store.counter = None, 0
        else:
            store.identity, store.counter = "b" * 32, 0
    return accepted, outcomes


@given(st.lists(st.one_of(allocate, rewind, empty, replace), max_size=40))
def test_a_process_never_accepts_a_number_twice(steps: list[tuple[str, int]]) -> None:
    accepted, _ = _run(steps)
    numbers = [number for block in accepted for number in block]
    assert len(numbers) == len(set(numbers))


@given(st.lists(allocate, max_size=40))
def test_a_store_that_behaves_is_never_refused(steps: list[tuple[str, int]]) -> None:
    accepted, outcomes = _run(steps)
    assert set(outcomes) <= {"accepted"}
    assert [block.start for block in accepted] == [
        sum(c for _, c in steps[:i]) for i in range(len(steps))
    ]


@given(st.lists(st.one_of(allocate, rewind, empty, replace), max_size=40))
def test_once_refused_always_refused(steps: list[tuple[str, int]]) -> None:
    _, outcomes = _run(steps)
    if "refused" in outcomes:
        assert set(outcomes[outcomes.index("refused") :]) == {"refused"}


@pytest.mark.parametrize(
    ("found", "reason"),
    [(None, "lost its identity"), ("b" * 32, "another identity")],
)
def test_the_refusal_says_why_and_what_to_do(found: str | None, reason: str) -> None:
    process = StoreIdentity(OPENED)
    with pytest.raises(StoreReplaced, match=reason) as refused:
        process.confirm(found)
    assert "restart the emulator" in refused.value.reason
    with pytest.raises(StoreReplaced, match=reason):
        process.confirm(OPENED)  # even if the identity comes back


def test_numbers_going_back_are_refused_with_both_numbers() -> None:
    process = StoreIdentity(OPENED)
    assert process.accept(0, 10, process.floor) == 0
    with pytest.raises(
        StoreReplaced, match=r"it gave 4, this process had been given numbers up to 9"
    ):
        process.accept(4, 1, process.floor)


def test_a_floor_read_before_a_concurrent_allocation_never_refuses_it() -> None:
    """Two threads: the later-numbered finishes first; the other, which read the floor before
    asking, is not refused for its lower number."""
    process = StoreIdentity(OPENED)
    early_floor = process.floor
    late_floor = process.floor
    assert process.accept(3, 3, late_floor) == 3
    assert process.accept(0, 3, early_floor) == 0
    assert process.floor == 6
