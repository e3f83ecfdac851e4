"""The call-placing endpoints as data: path, schema, and how a body becomes a request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from bitel_mock import contracts
from bitel_mock.domain.model import CallKind, CallRequest
from bitel_mock.errors import InvalidRequest

DEFAULT_RETRY_COUNT = 1
DEFAULT_REPEAT_COUNT = 2

# The server checks numbers with its own NumberPolicy (which may accept more
# forms than the contract's pattern, and answers with a settable code), so its
# validators take any string where the contract has a phone number.
_LOOSE_NUMBERS = {"phone-number.json": {"type": "string"}}


@dataclass(frozen=True)
class Endpoint:
    """One POST endpoint that places calls."""

    path: str
    operation_id: str
    schema: str
    kind: CallKind
    many: bool

    def compile(self) -> jsonschema_rs.Validator:
        return contracts.validator(self.schema, overrides=_LOOSE_NUMBERS)


CALL_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/api/v2/voice/batch", "batchCall", "batch-call-request", CallKind.BATCH, True),
    Endpoint("/api/v2/voice/batch/tts", "batchTtsCall", "batch-tts-call-request", CallKind.BATCH_TTS, True),
    Endpoint("/api/v2/voice/single", "singleCall", "single-call-request", CallKind.SINGLE, False),
    Endpoint("/api/v2/voice/single/tts", "ttsCall", "tts-call-request", CallKind.TTS, False),
    Endpoint("/api/v2/voice/otp", "otpCall", "otp-call-request", CallKind.OTP, False),
)

STATUS_PATH = "/api/v2/voice/status/<request_id>"


def validate(validator: jsonschema_rs.Validator, body: Any) -> None:
    """InvalidRequest unless `body` satisfies the schema."""
    try:
        error = next(validator.iter_errors(body), None)
    except (ValueError, OverflowError, TypeError) as exc:  # values jsonschema_rs cannot hold
        raise InvalidRequest(str(exc)) from None
    if error is not None:
        where = "/".join(str(part) for part in error.instance_path) or "(body)"
        raise InvalidRequest(f"{where}: {error.message}")


def to_call_request(
    endpoint: Endpoint, body: Mapping[str, Any], token_fingerprint: str | None = None
) -> CallRequest:
    """The domain request for a body that passed validation, from the token so fingerprinted."""
    numbers = body["phoneNumbers"] if endpoint.many else [body["phoneNumber"]]
    repeat = body.get("repeatCount", DEFAULT_REPEAT_COUNT) if endpoint.kind is CallKind.OTP else None
    return CallRequest(
        kind=endpoint.kind,
        phone_numbers=tuple(numbers),
        retry_count=int(body.get("retryCount", DEFAULT_RETRY_COUNT)),
        voice_id=body.get("voiceId"),
        text=body.get("text"),
        server_id=body.get("serverId"),
        repeat_count=int(repeat) if repeat is not None else None,
        token_fingerprint=token_fingerprint,
    )
