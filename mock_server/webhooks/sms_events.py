"""The body of an SMS webhook, from a message's plan (docs/fidelity.md, "SMS webhooks")."""

from __future__ import annotations

from typing import Any

from bitel_mock.domain.sms_model import Message


def sms_event_body(message: Message, *, negative_balance: bool = False) -> dict[str, Any]:
    """What Bitel posts once a message has its final delivery code.

    `batchId` is shared by the messages of one batch or p2p request (null for
    the others); `balanceSubtracted` the Toman taken (the final price without
    its minus sign, or the price itself when `negative_balance`); `cause` the
    final code's name and `deliveryStatus` its number; `smsCount` the parts.
    """
    plan = message.plan
    return {
        "requestId": message.id,
        "batchId": message.batch_id,
        "balanceSubtracted": float(plan.price if negative_balance else abs(plan.price)),
        "cause": plan.outcome.name,
        "smsCount": message.part_count,
        "requestDate": message.request_date,
        "deliveryStatus": plan.outcome.code,
    }
