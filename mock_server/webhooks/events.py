"""The body of a voice webhook, from a call's plan (docs/fidelity.md, "Voice webhooks")."""

from __future__ import annotations

from typing import Any

from mock_server.domain.model import Call


def event_body(call: Call, *, negative_balance: bool = False) -> dict[str, Any]:
    """What Bitel posts once the call has its final status.

    `cause` is the final status's name; `balanceSubtracted` the Toman amount
    taken (the record's price without its minus sign, or the price itself
    when `negative_balance`); `requestDate` Unix seconds; `number` as sent.
    """
    plan = call.plan
    balance = plan.price if negative_balance else abs(plan.price)
    return {
        "requestId": call.id,
        "campaignId": call.campaign_id,
        "balanceSubtracted": float(balance),
        "cause": plan.status.name,
        "billSec": plan.bill_sec,
        "number": call.phone_number,
        "requestDate": call.request_date,
    }
