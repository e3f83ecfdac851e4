"""The in-memory store: the default of in-process emulators and of tests."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from mock_server.domain.ids import random_key
from mock_server.domain.model import Call
from mock_server.domain.outcomes import ScenarioRule


class MemoryStore:
    """Keeps everything in dicts and lists; safe to share between threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[int, Call] = {}
        self._next_sequence = 0
        self._id_key = random_key()
        self._clock_base: float | None = None
        self._clock_offset = 0.0
        self._scenarios: list[ScenarioRule] = []

    def allocate_sequence(self, count: int) -> int:
        with self._lock:
            first = self._next_sequence
            self._next_sequence += count
            return first

    def id_key(self) -> int:
        return self._id_key

    def add_calls(self, calls: Sequence[Call]) -> None:
        with self._lock:
            self._calls.update((call.sequence, call) for call in calls)

    def get_call(self, sequence: int) -> Call | None:
        return self._calls.get(sequence)

    def list_calls(self) -> list[Call]:
        with self._lock:
            return [self._calls[key] for key in sorted(self._calls)]

    def count_calls(self) -> int:
        return len(self._calls)

    def clock_base(self, proposed: float, *, replace: bool = False) -> float:
        with self._lock:
            if self._clock_base is None or replace:
                self._clock_base = proposed
            return self._clock_base

    def clock_offset(self) -> float:
        return self._clock_offset

    def add_clock_offset(self, seconds: float) -> None:
        with self._lock:
            self._clock_offset += seconds

    def add_scenario(self, rule: ScenarioRule) -> None:
        with self._lock:
            self._scenarios.append(rule)

    def list_scenarios(self) -> list[ScenarioRule]:
        with self._lock:
            return list(self._scenarios)

    def delete_scenario(self, rule_id: str) -> bool:
        with self._lock:
            kept = [rule for rule in self._scenarios if rule.id != rule_id]
            deleted = len(kept) != len(self._scenarios)
            self._scenarios = kept
            return deleted

    def clear_scenarios(self) -> int:
        with self._lock:
            count = len(self._scenarios)
            self._scenarios = []
            return count

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._clock_offset = 0.0
            self._scenarios = []
