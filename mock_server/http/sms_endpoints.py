"""The SMS-sending endpoints as data: path, schema, and how a body becomes a request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from bitel_mock import contracts
from bitel_mock.domain.sms_model import MessageKind, SmsRequest

# As for calls: numbers are checked by the emulator's own NumberPolicy (which may accept
# more forms than the contract's pattern, and answers with a settable code).
_LOOSE_NUMBERS = {"phone-number.json": {"type": "string"}}


@dataclass(frozen=True)
class SmsEndpoint:
    """One POST endpoint that sends messages."""

    path: str
    operation_id: str
    schema: str
    kind: MessageKind
    many: bool
    """Answers a list of records (batch, p2p) rather than one."""

    def compile(self) -> jsonschema_rs.Validator:
        return contracts.validator(self.schema, overrides=_LOOSE_NUMBERS)


SMS_ENDPOINTS: tuple[SmsEndpoint, ...] = (
    SmsEndpoint("/api/v2/sms/single", "sendSms", "sms-single-request", MessageKind.SINGLE, False),
    SmsEndpoint("/api/v2/sms/batch", "sendSmsBatch", "sms-batch-request", MessageKind.BATCH, True),
    SmsEndpoint("/api/v2/sms/batch/p2p", "sendSmsP2p", "sms-p2p-request", MessageKind.P2P, True),
    SmsEndpoint("/api/v2/sms/otp", "sendOtpSms", "sms-otp-request", MessageKind.OTP, False),
    SmsEndpoint(
        "/api/v2/sms/template",
        "sendTemplateSms",
        "sms-template-request",
        MessageKind.TEMPLATE,
        False,
    ),
)

SMS_STATUS_PATH = "/api/v2/sms/status/<request_id>"


def to_sms_request(
    endpoint: SmsEndpoint, body: Mapping[str, Any], owner: str | None = None
) -> SmsRequest:
    """The domain request for a body that passed validation, from the token so fingerprinted."""
    kind = endpoint.kind
    numbers = tuple(body["phoneNumbers"]) if endpoint.many else (body["phoneNumber"],)
    if kind is MessageKind.P2P:
        texts = tuple(body["messages"])
    elif kind in (MessageKind.SINGLE, MessageKind.BATCH):
        texts = (body["message"],)
    else:
        texts = ()
    return SmsRequest(
        kind=kind,
        phone_numbers=numbers,
        texts=texts,
        gateway_number=body.get("gatewayNumber"),
        app_name=body.get("appName") if kind is MessageKind.OTP else None,
        code=body.get("code") if kind is MessageKind.OTP else None,
        template_id=body["templateId"] if kind is MessageKind.TEMPLATE else None,
        params=tuple(body.get("params", ())) if kind is MessageKind.TEMPLATE else (),
        owner=owner,
    )
