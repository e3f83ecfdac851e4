"""Placing calls and reporting on them: the verbs of the emulated API."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bitel_mock.domain.clock import Clock
from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.lifecycle import Timing, default_talk_seconds, plan_call, record_at
from bitel_mock.domain.model import Call, CallRecord, CallRequest, CallStatus, Plan
from bitel_mock.domain.outcomes import DEFAULT_SCRIPT, Distribution, choose_script, magic_script
from bitel_mock.domain.phone import NumberPolicy
from bitel_mock.domain.projects import in_project, visible_to
from bitel_mock.errors import ApiError, InvalidRequest, InvalidServer, NotFound
from bitel_mock.store.base import Store
from bitel_mock.webhooks.model import PendingEvent


class CallListener(Protocol):
    """Adds the pending webhook events of every accepted request to the store write that keeps
    its calls (all or none of both), and is told once they are kept."""

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


class CallService:
    """Accepts call requests, plans and keeps the calls, and reports their records."""

    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        ids: IdCodec,
        rules: CallRules,
        listeners: Sequence[CallListener] = (),
    ) -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        self.rules = rules
        self.listeners = tuple(listeners)

    def place(self, request: CallRequest) -> list[Call]:
        """Accept one call per number, in order, or raise and keep nothing."""
        rules = self.rules
        local_numbers = []
        for position, number in enumerate(request.phone_numbers):
            local = rules.numbers.to_local(number)
            if local is None:
                raise rules.number_error(f"number {position} is in no accepted form")
            local_numbers.append(local)
        if request.server_id is not None and request.server_id not in rules.server_ids:
            raise InvalidServer(f"unknown serverId {request.server_id!r}")

        request_date = int(self.clock.now())
        scenarios = self.store.list_scenarios()
        talk = default_talk_seconds(
            request.kind, request.text, request.repeat_count, request.voice_id, rules.timing
        )
        first = self.store.allocate_sequence(len(local_numbers))
        campaign_id = self.ids.campaign_id(first)
        plans: dict[int, Plan] = {}  # calls of one request share plans, by script identity
        encode = self.ids.encode
        plain = not scenarios and rules.distribution is None
        shared = {  # the fields every call of the request has in common
            "kind": request.kind,
            "request_date": request_date,
            "retry_count": request.retry_count,
            "voice_id": request.voice_id,
            "text": request.text,
            "server_id": request.server_id,
            "repeat_count": request.repeat_count,
            "campaign_id": campaign_id,
            "token_fingerprint": request.token_fingerprint,
        }
        calls = []
        for offset, (sent, local) in enumerate(zip(request.phone_numbers, local_numbers, strict=True)):
            sequence = first + offset
            if plain:  # this loop runs per number: the common case skips the general chooser
                script = magic_script(local) or DEFAULT_SCRIPT
            else:
                script = choose_script(
                    local, scenarios, rules.distribution, self._rng(sequence), request.retry_count + 1
                )
            plan = plans.get(id(script))
            if plan is None:
                plan = plans[id(script)] = plan_call(
                    request_date=request_date,
                    retry_count=request.retry_count,
                    script=script,
                    talk_seconds=talk,
                    timing=rules.timing,
                )
            calls.append(
                Call(
                    id=encode(sequence),
                    sequence=sequence,
                    phone_number=sent,
                    local_number=local,
                    plan=plan,
                    **shared,
                )
            )
        self._keep(calls)
        return calls

    def _keep(self, calls: list[Call]) -> None:
        """One store write for the calls and their events: a failure keeps neither, so a
        request answered 5xx has kept nothing and its retry duplicates nothing."""
        wanted = [listener.events_for(calls) for listener in self.listeners]
        events = wanted[0] if len(wanted) == 1 else [event for some in wanted for event in some]
        self.store.add_calls(calls, events)
        for listener, its_events in zip(self.listeners, wanted, strict=True):
            listener.calls_kept(calls, its_events)

    def _rng(self, sequence: int) -> random.Random:
        if self.rules.distribution is None:
            return _UNUSED_RNG
        if self.rules.seed is None:
            return random.Random()
        return random.Random(f"bitel-mock:{self.rules.seed}:{sequence}")

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


_UNUSED_RNG = random.Random(0)
"""Given where no distribution is set: the script never draws from it."""
