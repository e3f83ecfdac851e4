"""The body of a voice webhook, from a call's plan (docs/fidelity.md, "Voice webhooks")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bitel_mock.domain.model import Call, Plan


def _outcome(plan: Plan, negative_balance: bool) -> tuple[float, str, int]:
    balance = plan.price if negative_balance else abs(plan.price)
    return float(balance), plan.status.name, plan.bill_sec


def event_bodies(calls: Sequence[Call], *, negative_balance: bool = False) -> list[dict[str, Any]]:
    """What Bitel posts once each call has its final status.

    `cause` is the final status's name; `balanceSubtracted` the Toman amount
    taken (the record's price without its minus sign, or the price itself
    when `negative_balance`); `requestDate` Unix seconds; `number` as sent.
    """
    outcomes: dict[int, tuple[float, str, int]] = {}  # calls of one request share plans
    bodies = []
    for call in calls:
        plan = call.plan
        outcome = outcomes.get(id(plan))
        if outcome is None:
            outcome = outcomes[id(plan)] = _outcome(plan, negative_balance)
        balance, cause, bill_sec = outcome
        bodies.append(
            {
                "requestId": call.id,
                "campaignId": call.campaign_id,
                "balanceSubtracted": balance,
                "cause": cause,
                "billSec": bill_sec,
                "number": call.phone_number,
                "requestDate": call.request_date,
            }
        )
    return bodies
