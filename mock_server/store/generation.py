"""What a worker derives from the control plane, kept while the store's generation stands.

The control plane's state (scenario rules, faults, rate limits, the webhook
configuration, SMS templates) changes rarely and is read on every request.
Every store keeps one generation number that each change of that state
bumps in the same write; a worker keeps what it read (parsed, ready to use)
together with the generation it read it under, and reads it again only once
the generation moved. A request reads the generation once, first
(`Generations.pin`, from the store's `pulse`), so it costs one cheap read
however many parts consult the control plane, and every request sees every
change made before it began, whichever worker made it.

A generation of None means the store cannot tell (it lost its state): then
nothing is kept and every read goes to the store.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

Value = TypeVar("Value")


def random_generation() -> int:
    """Where the generation of a state made anew starts: at random, so a state that is lost
    and made again (a Redis restarted empty) never repeats a generation a worker kept values
    under."""
    return secrets.randbits(48)


class Pulse(NamedTuple):
    """What a request of the emulated API reads first, in one read."""

    generation: int | None
    """The control plane's generation (None: unknown, nothing is kept)."""
    clock_offset: float
    """The clock's offset, so the request is dated without another read."""


class Generations:
    """The generation this worker works under, and the values it keeps under it."""

    def __init__(self, read: Callable[[], int | None]) -> None:
        self._read = read
        self._pinned = threading.local()

    def pin(self, generation: int | None) -> None:
        """Until `unpin`, this thread works under `generation` (read at the request's start)."""
        self._pinned.generation = generation
        self._pinned.set = True

    def unpin(self) -> None:
        self._pinned.set = False

    def current(self) -> int | None:
        """The pinned generation, else the store's now."""
        if getattr(self._pinned, "set", False):
            return self._pinned.generation
        return self._read()

    def kept(self, load: Callable[[], Value]) -> Kept[Value]:
        """A value derived from the control plane by `load`, kept until the generation moves."""
        return Kept(self, load)


class Kept(Generic[Value]):
    """One value derived from the control plane (call it for the value under the current
    generation); several threads may load it at once, the last one's stays."""

    __slots__ = ("_entry", "_generations", "_load")

    def __init__(self, generations: Generations, load: Callable[[], Value]) -> None:
        self._generations = generations
        self._load = load
        self._entry: tuple[int, Value] | None = None

    def __call__(self) -> Value:
        generation = self._generations.current()
        entry = self._entry
        if entry is not None and generation is not None and entry[0] == generation:
            return entry[1]
        value = self._load()
        # Read after the generation: a change in between makes the next request load again.
        self._entry = None if generation is None else (generation, value)
        return value
