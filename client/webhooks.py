"""Receiving Bitel's voice webhooks: the event model and a parser that holds a body to the
contract (`contracts/schemas/voice-webhook-event.json`).

    event = parse_voice_webhook(request.get_data())   # InvalidWebhookError if it is not one
    if event.cause is CallStatus.NORMAL: ...
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bitel_mock import contracts
from bitel_mock.client.errors import InvalidWebhookError
from bitel_mock.client.models import CallStatus

__all__ = ["VoiceWebhookEvent", "parse_voice_webhook"]

SCHEMA = "voice-webhook-event"
_MAX_VIOLATIONS_IN_MESSAGE = 3


@dataclass(frozen=True, slots=True)
class VoiceWebhookEvent:
    """One call's final outcome, as Bitel posts it to the project's webhook URL."""

    request_id: str
    """The call's id (the `id` of its record): the key to deduplicate on."""
    campaign_id: str
    """The request (batch) the call was part of."""
    balance_subtracted: float
    """Toman taken for the call."""
    cause: CallStatus
    """The final status (never WAITING)."""
    bill_sec: int
    number: str
    """The number as it was sent."""
    request_date: int
    """Unix seconds when the request was accepted."""

    @property
    def requested_at(self) -> datetime:
        """`request_date` as an aware UTC datetime."""
        return datetime.fromtimestamp(self.request_date, tz=UTC)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _decode(body: bytes | str | Mapping[str, Any]) -> Any:
    if isinstance(body, Mapping):
        return body
    if not isinstance(body, bytes | bytearray | str):
        raise InvalidWebhookError(
            f"a webhook body is bytes, str or a dict, not {type(body).__name__}", violations=[]
        )
    try:
        text = body.decode("utf-8") if isinstance(body, bytes | bytearray) else body
        return json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidWebhookError(f"the webhook body is not JSON: {exc}", violations=[]) from exc


def parse_voice_webhook(body: bytes | str | Mapping[str, Any]) -> VoiceWebhookEvent:
    """The event in a received body (raw bytes, text, or already-parsed JSON).

    Raises InvalidWebhookError, naming every violation, when the body is not
    JSON or breaks the contract.
    """
    data = _decode(body)
    try:
        errors = list(contracts.validator(SCHEMA).iter_errors(data))
    except (ValueError, OverflowError, TypeError) as exc:  # values the validator cannot hold
        raise InvalidWebhookError(
            f"the webhook body is unreadable: {exc}", violations=[str(exc)]
        ) from exc
    if errors:
        violations = [
            f"/{'/'.join(str(part) for part in error.instance_path)}: {error.message}"
            for error in errors
        ]
        raise InvalidWebhookError(
            "the webhook body breaks the contract: "
            + "; ".join(violations[:_MAX_VIOLATIONS_IN_MESSAGE]),
            violations=violations,
        )
    balance = float(data["balanceSubtracted"])
    if not math.isfinite(balance):
        raise InvalidWebhookError("balanceSubtracted is beyond a float", violations=[])
    return VoiceWebhookEvent(
        request_id=data["requestId"],
        campaign_id=data["campaignId"],
        balance_subtracted=balance,
        cause=CallStatus[data["cause"]],
        bill_sec=data["billSec"],
        number=data["number"],
        request_date=data["requestDate"],
    )
