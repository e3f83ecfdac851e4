"""Sending SMS messages and reporting on them: the verbs of the emulated SMS API."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bitel_mock.domain.clock import Clock
from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.outcomes import Distribution, RuleKind
from bitel_mock.domain.phone import NumberPolicy
from bitel_mock.domain.projects import in_project, visible_to
from bitel_mock.domain.sms_errors import InvalidGateway
from bitel_mock.domain.sms_model import (
    DEFAULT_GATEWAY,
    Message,
    MessageKind,
    MessagePlan,
    SmsRecord,
    SmsRequest,
    SmsStatus,
)
from bitel_mock.domain.sms_outcomes import choose_outcome, plain_outcome
from bitel_mock.domain.sms_parts import part_count
from bitel_mock.domain.sms_plan import SmsTiming, plan_message, record_at, wire_at
from bitel_mock.domain.sms_templates import TemplateBook, render
from bitel_mock.domain.sms_text import otp_text
from bitel_mock.domain.storage import CallStore, ScenarioStore
from bitel_mock.errors import ApiError, InvalidRequest, NotFound
from bitel_mock.store.sms_base import SmsStore
from bitel_mock.webhooks.model import PendingEvent

MAX_NUMBERS = 100
"""Numbers per batch or p2p request (doc: "up to 100")."""


class MessageListener(Protocol):
    """Adds the pending webhook events of every accepted request to the store write that keeps
    its messages (all or none of both), and is told once they are kept."""

    def events_for(self, messages: Sequence[Message]) -> Sequence[PendingEvent]:
        """The events to keep with these messages (may be none)."""
        ...

    def messages_kept(self, messages: Sequence[Message], events: Sequence[PendingEvent]) -> None:
        """These messages, and the events this listener gave for them, are kept."""
        ...


@dataclass(frozen=True)
class SmsRules:
    """What decides whether a send is accepted and how its messages go."""

    numbers: NumberPolicy
    gateways: frozenset[str] = frozenset({DEFAULT_GATEWAY})
    """Lines a request may name in `gatewayNumber` (the default one always among them)."""
    number_error: type[ApiError] = InvalidRequest
    timing: SmsTiming = field(default_factory=SmsTiming)
    distribution: Distribution | None = None
    seed: int | None = None


class SmsServiceStore(CallStore, ScenarioStore, SmsStore, Protocol):
    """What the SMS service reads and writes: numbers, rules, messages and templates."""


class SmsService:
    """Accepts SMS requests, plans and keeps the messages, and reports their records."""

    def __init__(
        self,
        *,
        store: SmsServiceStore,
        clock: Clock,
        ids: IdCodec,
        rules: SmsRules,
        listeners: Sequence[MessageListener] = (),
    ) -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        self.rules = rules
        self.templates = TemplateBook(store)
        self.listeners = list(listeners)

    # --- sending ------------------------------------------------------------------

    def send(self, request: SmsRequest) -> list[Message]:
        """Accept one message per number, in order, or raise and keep nothing."""
        local_numbers = self._local_numbers(request.phone_numbers)
        gateway = self._gateway(request.gateway_number)
        texts = self._texts(request)
        request_date = int(self.clock.now())
        rules = [rule for rule in self.store.list_scenarios() if rule.kind is RuleKind.SMS]
        first = self.store.allocate_sequence(len(local_numbers))
        batch_id = self.ids.campaign_id(first) if request.kind.has_batch else None
        distribution = self.rules.distribution
        drawn = bool(rules) or (distribution is not None and bool(distribution.message_weights))
        plans: dict[tuple[int, int], MessagePlan] = {}  # messages of one request share plans
        parts: dict[str, int] = {}
        encode = self.ids.encode
        kind = request.kind
        messages = []
        for offset, (sent, local, text) in enumerate(
            zip(request.phone_numbers, local_numbers, texts, strict=True)
        ):
            sequence = first + offset
            if drawn:
                outcome = choose_outcome(local, kind, rules, distribution, self._rng(sequence))
            else:  # this loop runs per number: the common case skips the general chooser
                outcome = plain_outcome(local, kind)
            count = parts.get(text)
            if count is None:
                count = parts[text] = part_count(text)
            plan = plans.get((outcome._value_, count))
            if plan is None:
                plan = plans[(outcome._value_, count)] = plan_message(
                    request_date=request_date,
                    outcome=outcome,
                    part_count=count,
                    timing=self.rules.timing,
                )
            messages.append(
                Message(
                    encode(sequence),
                    sequence,
                    sent,
                    local,
                    kind,
                    gateway,
                    text,
                    request_date,
                    count,
                    plan,
                    batch_id,
                    request.owner,
                    request.template_id,
                )
            )
        self._keep(messages)
        return messages

    def _local_numbers(self, numbers: Sequence[str]) -> list[str]:
        if not 1 <= len(numbers) <= MAX_NUMBERS:
            raise InvalidRequest(f"1 to {MAX_NUMBERS} numbers, not {len(numbers)}")
        local_numbers = []
        for position, number in enumerate(numbers):
            local = self.rules.numbers.to_local(number)
            if local is None:
                raise self.rules.number_error(f"number {position} is in no accepted form")
            local_numbers.append(local)
        return local_numbers

    def _gateway(self, asked: str | None) -> str:
        if asked is None:
            return DEFAULT_GATEWAY
        if asked not in self.rules.gateways:
            raise InvalidGateway(f"unknown gatewayNumber {asked!r}")
        return asked

    def _texts(self, request: SmsRequest) -> tuple[str, ...]:
        """One text per number: as sent, or rendered (OTP, template)."""
        if request.kind is MessageKind.OTP:
            if not request.app_name or not request.code:
                raise InvalidRequest("appName and code are required")
            return (otp_text(request.app_name, request.code),)
        if request.kind is MessageKind.TEMPLATE:
            if request.template_id is None:
                raise InvalidRequest("templateId is required")
            rendered = render(self.templates.for_sending(request.template_id), request.params)
            if not rendered:
                raise InvalidRequest(f"template {request.template_id} renders an empty text")
            return (rendered,)
        texts = request.texts
        if len(texts) == 1 and len(request.phone_numbers) > 1 and request.kind is MessageKind.BATCH:
            texts = texts * len(request.phone_numbers)
        if len(texts) != len(request.phone_numbers):
            raise InvalidRequest(f"{len(texts)} messages for {len(request.phone_numbers)} numbers")
        for position, text in enumerate(texts):
            if not text:
                raise InvalidRequest(f"message {position} is empty")
        return texts

    def _keep(self, messages: list[Message]) -> None:
        """One store write for the messages and their events: a failure keeps neither."""
        wanted = [listener.events_for(messages) for listener in self.listeners]
        events = [event for some in wanted for event in some]
        self.store.add_messages(messages, events)
        for listener, its_events in zip(self.listeners, wanted, strict=True):
            listener.messages_kept(messages, its_events)

    def _rng(self, sequence: int) -> random.Random:
        distribution = self.rules.distribution
        if distribution is None or not distribution.message_weights:
            return _UNUSED_RNG
        if self.rules.seed is None:
            return random.Random()
        return random.Random(f"bitel-mock:{self.rules.seed}:sms:{sequence}")

    # --- reporting ----------------------------------------------------------------

    def record(self, message: Message, now: float | None = None) -> SmsRecord:
        """The message's record at `now` (the clock's time by default)."""
        return record_at(message, self.clock.now() if now is None else now)

    def wire_records(self, messages: Sequence[Message]) -> list[dict[str, Any]]:
        """The messages' records now, as the API sends them."""
        now = self.clock.now()
        return [wire_at(message, now) for message in messages]

    def find(self, message_id: str) -> Message | None:
        """The message with this id, or None (malformed ids and calls' ids included)."""
        sequence = self.ids.decode(message_id)
        message = None if sequence is None else self.store.get_message(sequence)
        return message if message is not None and message.id == message_id else None

    def status(self, message_id: str, viewer: str | None = None) -> SmsRecord:
        """The record of the message with this id, or NotFound (also for a message of a project
        other than `viewer`'s; None sees every project)."""
        message = self.find(message_id)
        if message is None or not visible_to(message.owner, viewer):
            raise NotFound(f"no message has id {message_id!r}")
        return self.record(message)

    def list(
        self,
        *,
        number: str | None = None,
        status: SmsStatus | None = None,
        project: str | None = None,
    ) -> list[tuple[Message, SmsRecord]]:
        """Messages with their records now, newest first, filtered by number (any form), status
        and project (the sending token's fingerprint)."""
        now = self.clock.now()
        local = self.rules.numbers.to_local(number) if number is not None else None
        found = []
        for message in reversed(self.store.list_messages()):
            if (
                number is not None
                and number != message.phone_number
                and local != message.local_number
            ):
                continue
            if not in_project(message.owner, project):
                continue
            record = record_at(message, now)
            if status is None or record.status is status:
                found.append((message, record))
        return found


_UNUSED_RNG = random.Random(0)
"""Given where no message weights are set: the outcome is never drawn from it."""
