"""The in-memory store: the default of in-process emulators and of tests.

It cannot lose its state by itself; `wipe` makes it, as a Redis restarted
empty would, so that what the emulator does then can be tested.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import heapq
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from bitel_mock.domain.ids import random_key
from bitel_mock.domain.model import Call, CallBatch, PlacedCalls
from bitel_mock.domain.outcomes import ScenarioRule
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.store.breaker import Breaker
from bitel_mock.store.generation import Pulse, random_generation
from bitel_mock.store.guard import guarded
from bitel_mock.store.identity import StoreIdentity
from bitel_mock.store.incidents import IncidentLog
from bitel_mock.store.journal_filter import JournalFilter
from bitel_mock.store.journaled import batch_then_entry
from bitel_mock.store.memory_sms import MemorySmsMixin
from bitel_mock.store.runs import consecutive_runs
from bitel_mock.webhooks.model import Delivery, PendingEvent
from bitel_mock.webhooks.storage import MAX_DELIVERIES


@dataclasses.dataclass(slots=True)
class _Hold:
    event: PendingEvent
    claimer: str
    until: float


def _no_backend_errors(_: BaseException) -> None:
    return None


@guarded(_no_backend_errors)
class MemoryStore(MemorySmsMixin):
    """Keeps everything in dicts and lists; safe to share between threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.incidents = IncidentLog()
        self.breaker = Breaker()
        self._forget_everything()
        self._identity = StoreIdentity(self._state_identity)

    def _forget_everything(self) -> None:
        self._forget_calls()
        self._next_sequence = 0
        self._state_identity = f"{random_key():032x}"
        self._generation = random_generation()
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
        self._forget_messages()
        self._forget_control_plane()

    def _forget_control_plane(self) -> None:
        self._journal: deque[dict[str, Any]] = deque()
        self._journal_sequence = 0
        self._faults: dict[str, dict[str, Any]] = {}
        self._fault_sequence = 0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._rate_limit: dict[str, Any] | None = None
        self._owned: dict[str, list[str]] = {}

    def wipe(self) -> None:
        """Forget everything, the identity and the counters too, as a Redis restarted empty
        would. This store still remembers what it opened, so it refuses to number or find
        calls from then on (`StoreReplaced`) rather than issue an id twice."""
        with self._lock:
            self._forget_everything()

    def allocate_sequence(self, count: int) -> int:
        floor = self._identity.floor
        with self._lock:
            self._identity.confirm(self._state_identity)
            first = self._next_sequence
            self._next_sequence += count
        return self._identity.accept(first, count, floor)

    def id_key(self) -> int:
        return int(self._identity.identity, 16)

    def _forget_calls(self) -> None:
        self._runs: dict[int, Sequence[Call]] = {}
        """Runs of consecutive calls (a request's `PlacedCalls`, kept as it is) by first number."""
        self._firsts: list[int] = []
        """The keys of `_runs`, in order."""
        self._call_count = 0

    def add_batch(self, batch: CallBatch) -> int:
        floor = self._identity.floor
        with self._lock:
            self._identity.confirm(self._state_identity)
            first = self._next_sequence
            if first >= floor:  # else `accept` refuses, and nothing is kept
                self._next_sequence += len(batch)
                self._keep_run(first, PlacedCalls(batch, first))
        return self._identity.accept(first, len(batch), floor)

    def add_calls(self, calls: Sequence[Call], events: Sequence[PendingEvent] = ()) -> None:
        runs = [calls] if isinstance(calls, PlacedCalls) else consecutive_runs(calls)
        with self._lock:
            for run in runs:
                if run:
                    self._keep_run(run.first_sequence if isinstance(run, PlacedCalls) else run[0].sequence, run)
            for event in events:
                self._wait(event)

    def _keep_run(self, first: int, run: Sequence[Call]) -> None:
        """Keep a run of consecutive calls under its first number (the lock held)."""
        replaced = self._runs.get(first)
        if replaced is None:
            bisect.insort(self._firsts, first)
        else:
            self._call_count -= len(replaced)
        self._runs[first] = run
        self._call_count += len(run)

    def get_call(self, sequence: int) -> Call | None:
        self._identity.confirm(self._state_identity)
        with self._lock:
            at = bisect.bisect_right(self._firsts, sequence) - 1
            if at < 0:
                return None
            first = self._firsts[at]
            run = self._runs[first]
        return run[sequence - first] if sequence - first < len(run) else None

    def list_calls(self) -> list[Call]:
        with self._lock:
            runs = [self._runs[first] for first in self._firsts]
        return [call for run in runs for call in run]

    def count_calls(self) -> int:
        return self._call_count

    def generation(self) -> int | None:
        return self._generation

    def pulse(self) -> Pulse:
        return Pulse(self._generation, self._clock_offset)

    def _changed(self) -> None:
        """The control plane's state changed (the lock held): a new generation."""
        self._generation += 1

    def clock_base(self, proposed: float, *, replace: bool = False) -> float:
        with self._lock:
            if self._clock_base is None or replace:
                self._clock_base = proposed
                self._clock_offset = 0.0
            return self._clock_base

    def kept_clock(self) -> tuple[float | None, float]:
        with self._lock:
            return self._clock_base, self._clock_offset

    def forget_clock(self) -> None:
        with self._lock:
            self._clock_base = None
            self._clock_offset = 0.0

    def clock_offset(self) -> float:
        return self._clock_offset

    def add_clock_offset(self, seconds: float) -> None:
        with self._lock:
            self._clock_offset += seconds

    def add_scenario(self, rule: ScenarioRule) -> None:
        with self._lock:
            self._scenarios.append(rule)
            self._changed()

    def list_scenarios(self) -> list[ScenarioRule]:
        with self._lock:
            return list(self._scenarios)

    def delete_scenario(self, rule_id: str) -> bool:
        with self._lock:
            kept = [rule for rule in self._scenarios if rule.id != rule_id]
            deleted = len(kept) != len(self._scenarios)
            self._scenarios = kept
            self._changed()
            return deleted

    def clear_scenarios(self) -> int:
        with self._lock:
            count = len(self._scenarios)
            self._scenarios = []
            self._changed()
            return count

    def webhook_config(self) -> dict[str, Any] | None:
        with self._lock:
            return copy.deepcopy(self._webhook_config)

    def set_webhook_config(self, config: dict[str, Any] | None) -> None:
        with self._lock:
            self._webhook_config = copy.deepcopy(config)
            self._changed()

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
            self._forget_calls()
            self._clock_base = None
            self._clock_offset = 0.0
            self._scenarios = []
            self._webhook_config = None
            self._waiting.clear()
            self._due.clear()
            self._held.clear()
            self._deliveries.clear()
            self._forget_messages()
            self._forget_control_plane()
            self._changed()

    def put_sms_template(self, template_id: int, template: SmsTemplate | None) -> None:
        super().put_sms_template(template_id, template)
        with self._lock:
            self._changed()

    def close(self) -> None:
        """Nothing to release: the state lives as long as this object."""

    # --- Control-plane state ------------------------------------------------

    def add_batch_with_entry(self, batch: CallBatch, entry: dict[str, Any], limit: int) -> int:
        return batch_then_entry(self, batch, entry, limit)

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        entry = dict(entry)  # the recorder hands over a fresh entry and never changes it
        with self._lock:
            self._journal_sequence += 1
            entry["seq"] = self._journal_sequence
            self._journal.append(entry)
            while len(self._journal) > max(limit, 0):
                self._journal.popleft()
            return self._journal_sequence

    def journal_entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(reversed(self._journal))

    def journal_page(
        self, where: JournalFilter, *, limit: int, offset: int = 0, before: int | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        with self._lock:
            matching = [entry for entry in reversed(self._journal) if where.matches(entry)]
        if before is not None:
            page = [entry for entry in matching if entry["seq"] < before][offset : offset + limit]
        else:
            page = matching[offset : offset + limit]
        return len(matching), page

    def clear_journal(self) -> None:
        with self._lock:
            self._journal.clear()

    def add_fault(self, fault: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._fault_sequence += 1
            stored = {**copy.deepcopy(fault), "id": f"fault-{self._fault_sequence}", "hits": 0}
            self._faults[stored["id"]] = stored
            self._changed()
            return copy.deepcopy(stored)

    def list_faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(fault) for fault in self._faults.values()]

    def remove_fault(self, fault_id: str) -> bool:
        with self._lock:
            self._changed()
            return self._faults.pop(fault_id, None) is not None

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._changed()

    def hit_fault(self, fault_id: str) -> int | None:
        with self._lock:
            fault = self._faults.get(fault_id)
            if fault is None:
                return None
            fault["hits"] += 1
            return fault["hits"]

    def consume_fault(self, fault_id: str) -> bool:
        with self._lock:
            fault = self._faults.get(fault_id)
            if fault is None:
                return False
            remaining = fault.get("remaining")
            if remaining is None:
                return True
            if remaining <= 1:
                del self._faults[fault_id]
                self._changed()
                return remaining == 1
            fault["remaining"] = remaining - 1
            return True

    def take_token(self, key: str, rate: float, burst: int, now: float) -> float:
        with self._lock:
            tokens, then = self._buckets.get(key, (float(burst), now))
            tokens = min(float(burst), tokens + max(now - then, 0.0) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate

    def rate_limit(self) -> dict[str, Any] | None:
        with self._lock:
            return copy.deepcopy(self._rate_limit)

    def set_rate_limit(self, config: dict[str, Any] | None) -> None:
        with self._lock:
            self._rate_limit = copy.deepcopy(config)
            self._buckets.clear()
            self._changed()

    def add_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        with self._lock:
            self._owned.setdefault(key, []).extend(call_ids)

    def owned_calls(self, key: str) -> list[str]:
        with self._lock:
            return list(self._owned.get(key, ()))

    def drop_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        dropped = set(call_ids)
        with self._lock:
            kept = [call_id for call_id in self._owned.get(key, ()) if call_id not in dropped]
            if kept:
                self._owned[key] = kept
            else:
                self._owned.pop(key, None)
