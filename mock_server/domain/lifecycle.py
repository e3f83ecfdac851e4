"""A call's life: its plan, made once when it is accepted, and its record at any moment.

The record is a pure function of the plan and the clock: WAITING until the
final attempt ends, then the final record, never changing again. Nothing
runs in the background, so every worker and every restart agrees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bitel_mock.domain.model import (
    Attempt,
    Call,
    CallKind,
    CallRecord,
    CallStatus,
    PlacedCalls,
    Plan,
)
from bitel_mock.domain.outcomes import AttemptSpec

RETRIED = frozenset({CallStatus.NO_ANSWER, CallStatus.USER_BUSY})
"""Outcomes after which another attempt is made while retries remain (doc)."""

FAIL_SECONDS = 1
"""How long a busy signal, an error or an unknown failure takes."""
TTS_CHARACTERS_PER_SECOND = 12
OTP_SECONDS_PER_DIGIT = 1
OTP_PAUSE_SECONDS = 1
OTP_INTRO_SECONDS = 3
"""The voice played before the digits, when a voiceId is given."""


@dataclass(frozen=True)
class Timing:
    """The clockwork of every call (all settable; defaults in docs/fidelity.md)."""

    queue_seconds: int = 3
    """From acceptance to the first dialling."""
    ring_seconds: int = 5
    """Ringing before an answer."""
    no_answer_seconds: int = 30
    """Ringing before an unanswered attempt gives up."""
    talk_seconds: int = 20
    """Talk time of an answered voice call (TTS and OTP: from the text)."""
    retry_interval: int = 60
    """From the end of a busy or unanswered attempt to the next one (v1 client: 60)."""
    time_to_live: int = 14_400
    """A call not finished this long after acceptance is EXPIRED (v1 client: 4 hours)."""
    tariff: float = 2.85
    """Toman per billed second (the vendor's sample: 12 s cost 34.2)."""

    def __post_init__(self) -> None:
        for name in ("queue_seconds", "ring_seconds", "no_answer_seconds", "retry_interval"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.talk_seconds < 1:
            raise ValueError("talk_seconds must be at least 1")
        if self.time_to_live < 1:
            raise ValueError("time_to_live must be at least 1")
        if not (self.tariff >= 0 and math.isfinite(self.tariff)):
            raise ValueError("tariff must be a non-negative number")


def default_talk_seconds(
    kind: CallKind, text: str | None, repeat_count: int | None, voice_id: str | None, timing: Timing
) -> int:
    """Talk seconds of an answered call: the voice's length, or the text read out."""
    if kind in (CallKind.TTS, CallKind.BATCH_TTS):
        return max(1, math.ceil(len(text or "") / TTS_CHARACTERS_PER_SECOND))
    if kind is CallKind.OTP:
        per_reading = len(text or "") * OTP_SECONDS_PER_DIGIT + OTP_PAUSE_SECONDS
        intro = OTP_INTRO_SECONDS if voice_id else 0
        return max(1, intro + (repeat_count or 1) * per_reading)
    return timing.talk_seconds


def price_of(bill_sec: int, tariff: float) -> float:
    """Negative once charged, 0.0 when nothing was talked."""
    return 0.0 if bill_sec == 0 else -round(bill_sec * tariff, 2)


def _ring_seconds(spec: AttemptSpec, timing: Timing) -> int:
    if spec.ring_seconds is not None:
        return spec.ring_seconds
    if spec.status is CallStatus.NORMAL:
        return timing.ring_seconds
    if spec.status is CallStatus.NO_ANSWER:
        return timing.no_answer_seconds
    return FAIL_SECONDS


def plan_call(
    *,
    request_date: int,
    retry_count: int,
    script: Sequence[AttemptSpec],
    talk_seconds: int,
    timing: Timing,
) -> Plan:
    """Every attempt, the final status and the bill, following `script` (its last entry repeats)."""
    deadline = request_date + timing.time_to_live
    attempts: list[Attempt] = []
    start = request_date + timing.queue_seconds
    for index in range(retry_count + 1):
        spec = script[min(index, len(script) - 1)]
        if spec.status is CallStatus.EXPIRED:
            break
        talk = (spec.talk_seconds or talk_seconds) if spec.status is CallStatus.NORMAL else 0
        attempt = Attempt(start, _ring_seconds(spec, timing), spec.status, talk)
        if attempt.end > deadline:
            break
        attempts.append(attempt)
        if spec.status not in RETRIED:
            return _finished(attempts, timing)
        start = attempt.end + timing.retry_interval
    else:
        return _finished(attempts, timing)
    return Plan(tuple(attempts), CallStatus.EXPIRED, deadline, deadline, 0, 0.0)


def _finished(attempts: list[Attempt], timing: Timing) -> Plan:
    last = attempts[-1]
    return Plan(
        attempts=tuple(attempts),
        status=last.outcome,
        final_at=last.end,
        execution_date=last.start,
        bill_sec=last.talk_seconds,
        price=price_of(last.talk_seconds, timing.tariff),
    )


def record_at(call: Call, now: float) -> CallRecord:
    """The call's record at `now`."""
    return _record(call.id, call.phone_number, call.request_date, call.plan, now)


def _record(call_id: str, phone_number: str, request_date: int, plan: Plan, now: float) -> CallRecord:
    if now < plan.final_at:
        return CallRecord(call_id, phone_number, CallStatus.WAITING, 0, request_date, 0, 0.0)
    return CallRecord(
        call_id, phone_number, plan.status, plan.bill_sec, request_date, plan.execution_date, plan.price
    )


def wire_records_at(calls: PlacedCalls, now: float) -> list[dict[str, Any]]:
    """The records of a request's calls at `now`, as the API sends them (`CallRecord.to_wire`):
    what a plan decides is worked out once per plan, not once per call."""
    batch = calls.batch
    tails = []
    for plan in batch.plans:
        wire = _record("", "", batch.request_date, plan, now).to_wire()
        del wire["id"], wire["phoneNumber"]
        tails.append(wire)
    if batch.plan_of is None:
        tail = tails[0]
        return [
            {"id": call_id, "phoneNumber": number, **tail}
            for call_id, number in zip(calls.ids, batch.phone_numbers, strict=True)
        ]
    return [
        {"id": call_id, "phoneNumber": number, **tails[index]}
        for call_id, number, index in zip(calls.ids, batch.phone_numbers, batch.plan_of, strict=True)
    ]
