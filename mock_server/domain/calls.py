"""Placing calls and reporting on them: the verbs of the emulated API."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bitel_mock.domain.clock import Clock
from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.lifecycle import (
    Timing,
    default_talk_seconds,
    plan_call,
    record_at,
    wire_records_at,
)
from bitel_mock.domain.model import (
    Call,
    CallBatch,
    CallRecord,
    CallRequest,
    CallStatus,
    PlacedCalls,
    Plan,
)
from bitel_mock.domain.outcomes import (
    DEFAULT_SCRIPT,
    MAGIC_PREFIX,
    AttemptSpec,
    Distribution,
    choose_script,
    magic_script,
)
from bitel_mock.domain.phone import NumberPolicy
from bitel_mock.domain.projects import in_project, visible_to
from bitel_mock.domain.storage import CallStore, ScenarioStore
from bitel_mock.errors import ApiError, InvalidRequest, InvalidServer, NotFound
from bitel_mock.store.generation import Generations
from bitel_mock.webhooks.model import PendingEvent

BatchKeeper = Callable[[CallBatch], int]
"""Numbers a request's calls and keeps them, in one write; returns the first number."""


class CallListener(Protocol):
    """Adds the pending webhook events of every accepted request to the store write that keeps
    its calls (all or none of both), and is told once they are kept."""

    def wants_events(self, token_fingerprint: str | None) -> bool:
        """Whether calls placed by this token get events (asked before they are numbered: a
        request without events is numbered and kept in one write)."""
        ...

    def events_for(self, calls: Sequence[Call]) -> Sequence[PendingEvent]:
        """The events to keep with these calls (may be none)."""
        ...

    def calls_kept(self, calls: Sequence[Call], events: Sequence[PendingEvent]) -> None:
        """These calls, and the events this listener gave for them, are kept."""
        ...


@dataclass(frozen=True)
class CallRules:
    """What decides whether a request is accepted and how its calls go."""

    numbers: NumberPolicy
    server_ids: frozenset[str]
    number_error: type[ApiError] = InvalidRequest
    timing: Timing = field(default_factory=Timing)
    distribution: Distribution | None = None
    seed: int | None = None


class CallServiceStore(CallStore, ScenarioStore, Protocol):
    """What the call service reads and writes."""


class CallService:
    """Accepts call requests, plans and keeps the calls, and reports their records.

    The scenario rules are read once per generation of the control plane
    (`generations`; by default the store's generation is read on every use).
    """

    def __init__(
        self,
        *,
        store: CallServiceStore,
        clock: Clock,
        ids: IdCodec,
        rules: CallRules,
        listeners: Sequence[CallListener] = (),
        generations: Generations | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        self.rules = rules
        self.listeners = tuple(listeners)
        self._scenarios = (generations or Generations(store.generation)).kept(store.list_scenarios)
        self._plans: dict[tuple[int, int, tuple[AttemptSpec, ...], int], Plan] = {}

    def place(self, request: CallRequest, keep: BatchKeeper | None = None) -> PlacedCalls:
        """Accept one call per number, in order, or raise and keep nothing. `keep` numbers and
        keeps the calls when one write does both (the store's `add_batch` by default): a caller
        may keep a record of its own in that write."""
        rules = self.rules
        local_numbers = self._local_numbers(request.phone_numbers)
        if request.server_id is not None and request.server_id not in rules.server_ids:
            raise InvalidServer(f"unknown serverId {request.server_id!r}")

        request_date = int(self.clock.now())
        scenarios = self._scenarios()
        token = request.token_fingerprint
        # Numbered first only when something needs the numbers before the write: drawn
        # outcomes (seeded per call number) or webhook events (keyed by call id).
        numbered_first = rules.distribution is not None or any(
            listener.wants_events(token) for listener in self.listeners
        )
        first = self.store.allocate_sequence(len(local_numbers)) if numbered_first else None
        # Calls share plans, by script identity (every script stays referenced, so no id is
        # reused): without rules or a distribution there are a handful of scripts.
        plain = not scenarios and rules.distribution is None
        if (
            plain
            and local_numbers is request.phone_numbers
            and MAGIC_PREFIX not in "".join(local_numbers)
        ):
            # Every number as sent is local and none is magic: one script for all.
            return self._keep_batch(
                request, local_numbers, [DEFAULT_SCRIPT], None, request_date, first, keep
            )
        scripts: list[Sequence[AttemptSpec]] = []
        index_of: dict[int, int] = {}
        plan_of: list[int] = []
        for offset, local in enumerate(local_numbers):
            if plain:  # this loop runs per number: the common case skips the general chooser
                script = magic_script(local) or DEFAULT_SCRIPT
            else:
                script = choose_script(
                    local,
                    scenarios,
                    rules.distribution,
                    self._rng((first or 0) + offset),
                    request.retry_count + 1,
                )
            index = index_of.get(id(script))
            if index is None:
                index = index_of[id(script)] = len(scripts)
                scripts.append(script)
            plan_of.append(index)
        return self._keep_batch(
            request,
            local_numbers,
            scripts,
            None if len(scripts) == 1 else plan_of,
            request_date,
            first,
            keep,
        )

    def _local_numbers(self, numbers: tuple[str, ...]) -> tuple[str, ...]:
        """Each number in the local form, or the refusal of the first in no accepted form;
        `numbers` itself when every one is already local (checked in one pass)."""
        joined = ",".join(numbers)
        if len(joined) == 12 * len(numbers) - 1 and _ALL_LOCAL.fullmatch(joined):
            return tuple(numbers)
        to_local = self.rules.numbers.to_local
        local_numbers = []
        for position, number in enumerate(numbers):
            local = to_local(number)
            if local is None:
                raise self.rules.number_error(f"number {position} is in no accepted form")
            local_numbers.append(local)
        return tuple(local_numbers)

    def _keep_batch(
        self,
        request: CallRequest,
        local_numbers: tuple[str, ...],
        scripts: Sequence[Sequence[AttemptSpec]],
        plan_of: Sequence[int] | None,
        request_date: int,
        first: int | None,
        keep: BatchKeeper | None,
    ) -> PlacedCalls:
        """Plan the request's calls (one plan per script), and keep them: numbered and kept in
        one write, or (`first` given) kept under the numbers allocated before."""
        talk = default_talk_seconds(
            request.kind, request.text, request.repeat_count, request.voice_id, self.rules.timing
        )
        batch = CallBatch(
            id_key=self.ids.key,
            phone_numbers=request.phone_numbers,
            local_numbers=local_numbers,
            plans=tuple(
                self._plan(request_date, request.retry_count, script, talk) for script in scripts
            ),
            plan_of=None if plan_of is None else tuple(plan_of),
            kind=request.kind,
            request_date=request_date,
            retry_count=request.retry_count,
            voice_id=request.voice_id,
            text=request.text,
            server_id=request.server_id,
            repeat_count=request.repeat_count,
            token_fingerprint=request.token_fingerprint,
        )
        if first is None:  # one write numbers and keeps them
            placed = PlacedCalls(batch, (keep or self.store.add_batch)(batch))
            for listener in self.listeners:
                listener.calls_kept(placed, ())
            return placed
        placed = PlacedCalls(batch, first)
        self._keep(placed)
        return placed

    def _keep(self, calls: PlacedCalls) -> None:
        """One store write for the calls and their events: a failure keeps neither, so a
        request answered 5xx has kept nothing and its retry duplicates nothing."""
        wanted = [listener.events_for(calls) for listener in self.listeners]
        events = wanted[0] if len(wanted) == 1 else [event for some in wanted for event in some]
        self.store.add_calls(calls, events)
        for listener, its_events in zip(self.listeners, wanted, strict=True):
            listener.calls_kept(calls, its_events)

    def _plan(
        self, request_date: int, retry_count: int, script: Sequence[AttemptSpec], talk: int
    ) -> Plan:
        """The plan of a call (`plan_call`), made once for every request of the same second,
        retries, script and talk time: plans are values, and most requests share them."""
        key = (request_date, retry_count, tuple(script), talk)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= PLANS_KEPT:
                self._plans.clear()
            plan = self._plans[key] = plan_call(
                request_date=request_date,
                retry_count=retry_count,
                script=script,
                talk_seconds=talk,
                timing=self.rules.timing,
            )
        return plan

    def _rng(self, sequence: int) -> random.Random:
        if self.rules.distribution is None:
            return _UNUSED_RNG
        if self.rules.seed is None:
            return random.Random()
        return random.Random(f"bitel-mock:{self.rules.seed}:{sequence}")

    def wire_records(self, calls: PlacedCalls, now: float | None = None) -> list[dict[str, Any]]:
        """The records of a request's calls at `now` (the clock's time by default), as the API
        sends them."""
        return wire_records_at(calls, self.clock.now() if now is None else now)

    def record(self, call: Call, now: float | None = None) -> CallRecord:
        """The call's record at `now` (the clock's time by default)."""
        return record_at(call, self.clock.now() if now is None else now)

    def find(self, call_id: str) -> Call | None:
        """The call with this id, or None (malformed ids included)."""
        sequence = self.ids.decode(call_id)
        call = None if sequence is None else self.store.get_call(sequence)
        return call if call is not None and call.id == call_id else None

    def status(self, call_id: str, viewer: str | None = None) -> CallRecord:
        """The record of the call with this id, or NotFound (also for a call of a project other
        than `viewer`'s; None sees every project)."""
        call = self.find(call_id)
        if call is None or not visible_to(call.token_fingerprint, viewer):
            raise NotFound(f"no call has id {call_id!r}")
        return self.record(call)

    def list(
        self,
        *,
        number: str | None = None,
        status: CallStatus | None = None,
        project: str | None = None,
    ) -> list[tuple[Call, CallRecord]]:
        """Calls with their records now, newest first, filtered by number (any form), status and
        project (the placing token's fingerprint)."""
        now = self.clock.now()
        local = self.rules.numbers.to_local(number) if number is not None else None
        found = []
        for call in reversed(self.store.list_calls()):
            if number is not None and number != call.phone_number and local != call.local_number:
                continue
            if not in_project(call.token_fingerprint, project):
                continue
            record = record_at(call, now)
            if status is None or record.status is status:
                found.append((call, record))
        return found


_ALL_LOCAL = re.compile(r"(?:09[0-9]{9},)*09[0-9]{9}")
"""Numbers joined by commas, every one in the local form (a number holding a comma is told by
the joined length)."""

PLANS_KEPT = 256
"""How many plans a service keeps for reuse (all are forgotten when there are more)."""

_UNUSED_RNG = random.Random(0)
"""Given where no distribution is set: the script never draws from it."""
