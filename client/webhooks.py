"""Receiving Bitel's webhooks: the event models and parsers that hold a body to the contract
(`contracts/schemas/voice-webhook-event.json`, `sms-webhook-event.json`).

    event = parse_voice_webhook(request.get_data())   # InvalidWebhookError if it is not one
    if event.cause is CallStatus.NORMAL: ...

    message = parse_sms_webhook(request.get_data())
    if message.delivery_status is SmsStatus.DELIVERED: ...
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
from bitel_mock.client.sms_models import SmsStatus

__all__ = ["SmsWebhookEvent", "VoiceWebhookEvent", "parse_sms_webhook", "parse_voice_webhook"]

SCHEMA = "voice-webhook-event"
SMS_SCHEMA = "sms-webhook-event"
_SMS_FIELDS = (
    "requestId",
    "batchId",
    "balanceSubtracted",
    "cause",
    "smsCount",
    "requestDate",
    "deliveryStatus",
)
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


@dataclass(frozen=True, slots=True)
class SmsWebhookEvent:
    """One message's final outcome, as Bitel posts it to the project's SMS webhook URL."""

    request_id: str
    """The message's id (the `id` of its record): the key to deduplicate on."""
    batch_id: str | None
    """The batch or p2p request the message was part of; None for a single, OTP or template
    message."""
    balance_subtracted: float
    """Toman taken for the message."""
    cause: SmsStatus
    """The final status, by name."""
    sms_count: int
    """Parts billed."""
    request_date: int
    """Unix seconds when the request was accepted."""
    delivery_status: SmsStatus
    """The final status, by code (always the same as `cause`)."""

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


def _checked(body: bytes | str | Mapping[str, Any], schema: str) -> Any:
    """The decoded body once it keeps the contract's `schema`; InvalidWebhookError otherwise."""
    data = _decode(body)
    try:
        errors = list(contracts.validator(schema).iter_errors(data))
    except (ValueError, OverflowError, TypeError) as exc:  # values the validator cannot hold
        raise InvalidWebhookError(
            f"the webhook body is unreadable: {exc}", violations=[str(exc)]
        ) from exc
    if errors:
        raise _breaks_contract(
            [
                f"/{'/'.join(str(part) for part in error.instance_path)}: {error.message}"
                for error in errors
            ]
        )
    return data


def _breaks_contract(violations: list[str]) -> InvalidWebhookError:
    return InvalidWebhookError(
        "the webhook body breaks the contract: "
        + "; ".join(violations[:_MAX_VIOLATIONS_IN_MESSAGE]),
        violations=violations,
    )


def _balance(data: Mapping[str, Any]) -> float:
    balance = float(data["balanceSubtracted"])
    if not math.isfinite(balance):
        raise InvalidWebhookError("balanceSubtracted is beyond a float", violations=[])
    return balance


def parse_voice_webhook(body: bytes | str | Mapping[str, Any]) -> VoiceWebhookEvent:
    """The event in a received body (raw bytes, text, or already-parsed JSON).

    Raises InvalidWebhookError, naming every violation, when the body is not
    JSON or breaks the contract.
    """
    data = _checked(body, SCHEMA)
    return VoiceWebhookEvent(
        request_id=data["requestId"],
        campaign_id=data["campaignId"],
        balance_subtracted=_balance(data),
        cause=CallStatus[data["cause"]],
        bill_sec=data["billSec"],
        number=data["number"],
        request_date=data["requestDate"],
    )


def _final_status(data: Mapping[str, Any]) -> SmsStatus:
    """The status `cause` and `deliveryStatus` both name; InvalidWebhookError unless they
    name the same final status."""
    cause, code = data["cause"], data["deliveryStatus"]
    by_name = SmsStatus.__members__.get(cause) if isinstance(cause, str) else None
    codes = {status.value: status for status in SmsStatus}
    by_code = codes.get(code) if type(code) is int else None
    if by_name is not None and by_name.is_final and by_name is by_code:
        return by_name
    violations = []
    if by_name is None or not by_name.is_final:
        violations.append(f"/cause: {cause!r} is not a final status")
    if by_code is None or not by_code.is_final:
        violations.append(f"/deliveryStatus: {code!r} is not the code of a final status")
    if not violations:
        violations.append(f"/cause: {cause!r} does not go with deliveryStatus {code!r}")
    raise _breaks_contract(violations)


def parse_sms_webhook(body: bytes | str | Mapping[str, Any]) -> SmsWebhookEvent:
    """The SMS event in a received body (raw bytes, text, or already-parsed JSON).

    Raises InvalidWebhookError, naming every violation, when the body is not JSON, breaks
    the contract, or gives `cause` and `deliveryStatus` that are not the same final status.
    """
    data = _checked(body, SMS_SCHEMA)
    missing = [f"/: {key!r} is a required property" for key in _SMS_FIELDS if key not in data]
    if missing:
        raise _breaks_contract(missing)
    status = _final_status(data)
    return SmsWebhookEvent(
        request_id=data["requestId"],
        batch_id=data["batchId"],
        balance_subtracted=_balance(data),
        cause=status,
        sms_count=data["smsCount"],
        request_date=data["requestDate"],
        delivery_status=status,
    )
