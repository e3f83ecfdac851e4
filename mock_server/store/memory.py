"""The in-memory store: the default of in-process emulators and of tests."""

from __future__ import annotations

import copy
import dataclasses
import heapq
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from mock_server.domain.ids import random_key
from mock_server.domain.model import Call
from mock_server.domain.outcomes import ScenarioRule
from mock_server.store.base import MAX_DELIVERIES
from mock_server.webhooks.model import Delivery, PendingEvent


@dataclasses.dataclass(slots=True)
class _Hold:
    event: PendingEvent
    claimer: str
    until: float


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
        self._webhook_config: dict[str, Any] | None = None
        self._waiting: dict[str, PendingEvent] = {}
        self._due: list[tuple[float, int, str]] = []
        """A heap of (due_at, sequence, call_id) over `_waiting`."""
        self._held: dict[str, _Hold] = {}
        self._deliveries: deque[Delivery] = deque(maxlen=MAX_DELIVERIES)
        self._next_delivery_id = 1

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

    def webhook_config(self) -> dict[str, Any] | None:
        with self._lock:
            return copy.deepcopy(self._webhook_config)

    def set_webhook_config(self, config: dict[str, Any] | None) -> None:
        with self._lock:
            self._webhook_config = copy.deepcopy(config)

    def add_webhook_events(self, events: Sequence[PendingEvent]) -> None:
        with self._lock:
            for event in events:
                self._wait(event)

    def _wait(self, event: PendingEvent) -> None:
        self._waiting[event.call_id] = event
        heapq.heappush(self._due, (event.due_at, event.sequence, event.call_id))

    def claim_due_events(
        self, now: float, limit: int, claimer: str, lease_seconds: float
    ) -> list[PendingEvent]:
        with self._lock:
            for call_id, hold in list(self._held.items()):
                if hold.until <= now:
                    del self._held[call_id]
                    self._wait(hold.event)
            claimed: list[PendingEvent] = []
            while self._due and len(claimed) < limit and self._due[0][0] <= now:
                due_at, _, call_id = heapq.heappop(self._due)
                event = self._waiting.get(call_id)
                if event is None or event.due_at != due_at:
                    continue  # an entry left behind by a reset or a reschedule
                del self._waiting[call_id]
                self._held[call_id] = _Hold(event, claimer, now + lease_seconds)
                claimed.append(event)
            return claimed

    def finish_event(self, call_id: str, claimer: str) -> bool:
        with self._lock:
            hold = self._held.get(call_id)
            if hold is None or hold.claimer != claimer:
                return False
            del self._held[call_id]
            return True

    def reschedule_event(self, event: PendingEvent, claimer: str) -> bool:
        with self._lock:
            hold = self._held.get(event.call_id)
            if hold is None or hold.claimer != claimer:
                return False
            del self._held[event.call_id]
            self._wait(event)
            return True

    def count_pending_events(self) -> int:
        with self._lock:
            return len(self._waiting) + len(self._held)

    def add_delivery(self, delivery: Delivery) -> Delivery:
        with self._lock:
            kept = dataclasses.replace(delivery, id=self._next_delivery_id)
            self._next_delivery_id += 1
            self._deliveries.append(kept)
            return kept

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        with self._lock:
            if not self._deliveries:
                return None
            index = delivery_id - self._deliveries[0].id
            if 0 <= index < len(self._deliveries):
                return self._deliveries[index]
            return None

    def list_deliveries(
        self, *, call_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[int, list[Delivery]]:
        with self._lock:
            matching = [d for d in reversed(self._deliveries) if call_id is None or d.call_id == call_id]
        return len(matching), matching[offset : offset + limit]

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._clock_offset = 0.0
            self._scenarios = []
            self._webhook_config = None
            self._waiting.clear()
            self._due.clear()
            self._held.clear()
            self._deliveries.clear()
