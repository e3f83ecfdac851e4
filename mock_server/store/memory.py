"""The in-memory store: the default of in-process emulators and of tests."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from mock_server.domain.ids import random_key
from mock_server.domain.model import Call


class MemoryStore:
    """Keeps calls in a dict; safe to share between threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[int, Call] = {}
        self._next_sequence = 0
        self._id_key = random_key()

    def allocate_sequence(self, count: int) -> int:
        with self._lock:
            first = self._next_sequence
            self._next_sequence += count
            return first

    def add_calls(self, calls: Sequence[Call]) -> None:
        with self._lock:
            self._calls.update((call.sequence, call) for call in calls)

    def get_call(self, sequence: int) -> Call | None:
        return self._calls.get(sequence)

    def id_key(self) -> int:
        return self._id_key

    def count_calls(self) -> int:
        return len(self._calls)

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._next_sequence = 0
            self._id_key = random_key()
