"""How the control plane shows domain values as JSON."""

from __future__ import annotations

from typing import Any

from bitel_mock.domain.model import Attempt, Call, CallRecord, Plan
from bitel_mock.domain.outcomes import AttemptSpec, RuleKind, ScenarioRule
from bitel_mock.emulator import Emulator
from bitel_mock.webhooks.config import WebhookConfig
from bitel_mock.webhooks.model import Delivery


def clock_json(emulator: Emulator) -> dict[str, object]:
    return {"now": int(emulator.clock.now()), "mode": emulator.clock.mode.value}


def attempt_spec_json(spec: AttemptSpec) -> dict[str, Any]:
    shown: dict[str, Any] = {"status": spec.status.name}
    if spec.talk_seconds is not None:
        shown["talkSeconds"] = spec.talk_seconds
    if spec.ring_seconds is not None:
        shown["ringSeconds"] = spec.ring_seconds
    return shown


def rule_json(rule: ScenarioRule) -> dict[str, Any]:
    shown: dict[str, Any] = {"id": rule.id}
    if rule.kind is RuleKind.SMS and rule.message_outcome is not None:  # call rules show no kind
        shown["kind"] = rule.kind.value
        shown["outcome"] = rule.message_outcome.name
    if rule.number is not None:
        shown["number"] = rule.number
    if rule.pattern is not None:
        shown["pattern"] = rule.pattern
    if rule.kind is RuleKind.CALL:
        shown["attempts"] = [attempt_spec_json(spec) for spec in rule.attempts]
    shown["createdAt"] = rule.created_at
    return shown


def attempt_json(attempt: Attempt) -> dict[str, Any]:
    return {
        "start": attempt.start,
        "ringSeconds": attempt.ring_seconds,
        "outcome": attempt.outcome.name,
        "talkSeconds": attempt.talk_seconds,
        "end": attempt.end,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "attempts": [attempt_json(attempt) for attempt in plan.attempts],
        "status": plan.status.name,
        "finalAt": plan.final_at,
        "executionDate": plan.execution_date,
        "billSec": plan.bill_sec,
        "price": plan.price,
    }


def call_json(call: Call, record: CallRecord, time_to_live: int) -> dict[str, Any]:
    """A call as the control plane lists it; `expiresAt` is when it turns EXPIRED unless its
    plan ends first (acceptance plus `time_to_live`)."""
    return {
        "id": call.id,
        "phoneNumber": call.phone_number,
        "localNumber": call.local_number,
        "kind": call.kind.value,
        "requestDate": call.request_date,
        "expiresAt": call.request_date + time_to_live,
        "retryCount": call.retry_count,
        "voiceId": call.voice_id,
        "text": call.text,
        "serverId": call.server_id,
        "repeatCount": call.repeat_count,
        "campaignId": call.campaign_id,
        "tokenFingerprint": call.token_fingerprint,
        "project": call.token_fingerprint,
        "plan": plan_json(call.plan),
        "record": record.to_wire(),
    }


def webhook_config_json(config: WebhookConfig, pending: int) -> dict[str, Any]:
    return {**config.to_json(), "pendingEvents": pending}


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "event": delivery.call_id,
        "campaignId": delivery.campaign_id,
        "attempt": delivery.attempt,
        "kind": delivery.kind.value,
        "at": delivery.at,
        "url": delivery.url,
        "status": delivery.status,
        "error": delivery.error,
        "latencyMs": delivery.latency_ms,
        "outcome": delivery.outcome.value,
        "nextAttemptAt": delivery.next_attempt_at,
        "tokenFingerprint": delivery.token_fingerprint,
        "body": None if delivery.body is None else dict(delivery.body),
    }
