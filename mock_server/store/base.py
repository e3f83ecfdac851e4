"""The one interface every store implements; the domain knows nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mock_server.domain.model import Call


class Store(Protocol):
    """The emulator's state: accepted calls and the sequence that numbers them."""

    def allocate_sequence(self, count: int) -> int:
        """Reserve `count` consecutive call numbers; return the first."""
        ...

    def add_calls(self, calls: Sequence[Call]) -> None:
        """Keep these calls, all or none."""
        ...

    def get_call(self, sequence: int) -> Call | None:
        """The call with this sequence number, or None."""
        ...

    def count_calls(self) -> int:
        """How many calls are kept."""
        ...

    def id_key(self) -> int:
        """A random 128-bit key made once per store (and again after a reset), kept with the state."""
        ...

    def reset(self) -> None:
        """Forget everything, the id key included."""
        ...
