"""What a worker keeps of the control plane is read again exactly when the generation moved:
while it stands no read reaches the store; a pinned request reads the generation not at all; an
unknown generation keeps nothing."""

from __future__ import annotations

import threading

from bitel_mock.store.generation import Generations, random_generation
from bitel_mock.store.memory import MemoryStore


class Source:
    """A generation and a value, counting the reads of each."""

    def __init__(self, generation: int | None = 7) -> None:
        self.generation: int | None = generation
        self.value = "first"
        self.generation_reads = 0
        self.loads = 0

    def read_generation(self) -> int | None:
        self.generation_reads += 1
        return self.generation

    def load(self) -> str:
        self.loads += 1
        return self.value


def test_a_value_is_loaded_once_while_the_generation_stands() -> None:
    source = Source()
    kept = Generations(source.read_generation).kept(source.load)
    assert [kept() for _ in range(5)] == ["first"] * 5
    assert source.loads == 1 and source.generation_reads == 5


def test_a_moved_generation_loads_the_value_again() -> None:
    source = Source()
    kept = Generations(source.read_generation).kept(source.load)
    kept()
    source.value, source.generation = "second", 8
    assert kept() == "second" and kept() == "second"
    assert source.loads == 2


def test_a_pinned_request_never_reads_the_generation() -> None:
    source = Source()
    generations = Generations(source.read_generation)
    kept = generations.kept(source.load)
    generations.pin(7)
    assert [kept() for _ in range(3)] == ["first"] * 3
    assert (source.generation_reads, source.loads) == (0, 1)
    source.value = "second"
    generations.pin(8)  # the next request read another generation
    assert kept() == "second" and source.loads == 2
    generations.unpin()
    assert generations.current() == 7 and source.generation_reads == 1


def test_an_unknown_generation_keeps_nothing() -> None:
    source = Source(generation=None)
    kept = Generations(source.read_generation).kept(source.load)
    kept()
    source.value = "second"
    assert kept() == "second" and source.loads == 2
    source.generation = 1
    kept()
    source.generation = None  # a value kept under 1 is not one kept under "unknown"
    assert kept() == "second" and source.loads == 4


def test_pins_are_per_thread() -> None:
    source = Source()
    generations = Generations(source.read_generation)
    generations.pin(3)
    seen: list[int | None] = []
    other = threading.Thread(target=lambda: seen.append(generations.current()))
    other.start()
    other.join()
    assert seen == [7] and generations.current() == 3


def test_every_part_kept_under_one_generation_is_read_again_after_a_change() -> None:
    store = MemoryStore()
    generations = Generations(store.generation)
    reads: list[str] = []
    faults = generations.kept(lambda: reads.append("faults") or store.list_faults())
    limit = generations.kept(lambda: reads.append("limit") or store.rate_limit())
    generations.pin(store.pulse().generation)
    faults(), limit(), faults(), limit()
    store.set_rate_limit({"rps": 1, "burst": 1, "maxWaiting": None})
    generations.pin(store.pulse().generation)
    assert limit() == {"rps": 1, "burst": 1, "maxWaiting": None} and faults() == []
    assert reads == ["faults", "limit", "limit", "faults"]


def test_new_states_start_at_random_generations() -> None:
    starts = {random_generation() for _ in range(20)} | {
        MemoryStore().generation() for _ in range(20)
    }
    assert len(starts) == 40 and all(0 <= start < 2**48 for start in starts)
