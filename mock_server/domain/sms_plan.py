"""A message's life: its plan, made once when it is accepted, and its record at any moment.

On the emulator's clock, counted from acceptance:

- until `check_seconds`: WAITING (price 0.0);
- then a refusal (BLACKLIST, ERROR, CHECK_ERROR) is final at once, never charged;
- or the operator takes it: CHECK_OK, charged, until `deliver_seconds`,
  then DELIVERED or DELIVERY_FAILED (final, charged).

The record is a pure function of the plan and the clock, as a call's is: every
worker and every restart agrees, and nothing runs in the background.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bitel_mock.domain.sms_model import (
    HANDED_OVER,
    Message,
    MessagePlan,
    SmsRecord,
    SmsStatus,
    wire_record,
)
from bitel_mock.domain.sms_parts import price_of

DEFAULT_CHECK_SECONDS = 2
DEFAULT_DELIVER_SECONDS = 5
DEFAULT_SMS_TARIFF = 14.0
"""Toman per part: the status page's example price is -14.0 for one part (doc)."""


@dataclass(frozen=True)
class SmsTiming:
    """The clockwork and the price of every message (all settable)."""

    check_seconds: int = DEFAULT_CHECK_SECONDS
    """From acceptance to CHECK_OK, or to a refusal."""
    deliver_seconds: int = DEFAULT_DELIVER_SECONDS
    """From acceptance to DELIVERED or DELIVERY_FAILED (not before the check)."""
    tariff: float = DEFAULT_SMS_TARIFF
    """Toman per part."""

    def __post_init__(self) -> None:
        if self.check_seconds < 0:
            raise ValueError("the SMS check seconds (--sms-check-seconds) must not be negative")
        if self.deliver_seconds < self.check_seconds:
            raise ValueError(
                "the SMS delivery seconds (--sms-deliver-seconds) must be at least the check seconds"
            )
        if not (self.tariff >= 0 and math.isfinite(self.tariff)):
            raise ValueError("the SMS tariff (--sms-tariff) must be a non-negative number")


def plan_message(
    *, request_date: int, outcome: SmsStatus, part_count: int, timing: SmsTiming
) -> MessagePlan:
    """The whole future of a message accepted at `request_date` that ends in `outcome`."""
    if not outcome.is_final:
        raise ValueError(f"{outcome.name} is not a final outcome")
    checked_at = request_date + timing.check_seconds
    if outcome in HANDED_OVER:
        return MessagePlan(
            outcome,
            checked_at,
            request_date + timing.deliver_seconds,
            price_of(part_count, timing.tariff),
        )
    return MessagePlan(outcome, checked_at, checked_at, 0.0)


def status_at(plan: MessagePlan, now: float) -> SmsStatus:
    """The message's code at `now`."""
    if now < plan.checked_at:
        return SmsStatus.WAITING
    if now < plan.final_at:
        return SmsStatus.CHECK_OK
    return plan.outcome


def record_at(message: Message, now: float) -> SmsRecord:
    """The message's record at `now`."""
    status = status_at(message.plan, now)
    return SmsRecord(
        id=message.id,
        gateway_number=message.gateway_number,
        phone_number=message.phone_number,
        message=message.text,
        request_date=message.request_date,
        status=status,
        part_count=message.part_count,
        price=message.plan.price if status.is_charged else 0.0,
    )


def wire_at(message: Message, now: float) -> dict[str, Any]:
    """The message's record at `now`, as the API sends it (`record_at(...).to_wire()`)."""
    plan = message.plan
    status = status_at(plan, now)
    price = 0.0 if now < plan.checked_at else plan.price  # a refusal's plan has price 0.0
    return wire_record(
        message.id,
        message.gateway_number,
        message.phone_number,
        message.text,
        message.request_date,
        status,
        message.part_count,
        price,
    )


def message_plan(message: Message) -> tuple[int, SmsStatus]:
    """When the message reaches its final code, and which (its webhook is due then)."""
    return message.plan.final_at, message.plan.outcome
