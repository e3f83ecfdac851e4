"""The reference client of the Bitel voice and SMS APIs (docs/client.md).

Against an emulator on 127.0.0.1:8080 (`make run`); without `base_url` it talks to the real,
paid service:

    from bitel_mock.client import BitelClient

    TOKEN = "t"  # the emulator takes any non-empty token; the real service, your panel's
    VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"

    with BitelClient(TOKEN, base_url="http://127.0.0.1:8080") as bitel:
        [call] = bitel.batch_call(phone_numbers=["09121234567"], voice_id=VOICE_ID)
        print(call.phone_number, call.status.name, call.requested_at)
"""

from bitel_mock.client.bitel import DEFAULT_BASE_URL, MAX_BATCH, BitelClient
from bitel_mock.client.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BatchIncompleteError,
    BitelError,
    ContractViolationError,
    InvalidArgumentError,
    InvalidGatewayError,
    InvalidPhoneNumberError,
    InvalidRequestError,
    InvalidServerError,
    InvalidTemplateError,
    InvalidWebhookError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TemplateError,
    TemplateFormatError,
    TemplatePendingError,
    WaitTimeoutError,
)
from bitel_mock.client.models import CallRecord, CallStatus, normalize_number
from bitel_mock.client.retry import Clock, RetryPolicy, SystemClock
from bitel_mock.client.sms_models import SmsRecord, SmsStatus
from bitel_mock.client.webhooks import (
    SmsWebhookEvent,
    VoiceWebhookEvent,
    parse_sms_webhook,
    parse_voice_webhook,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_BATCH",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BatchIncompleteError",
    "BitelClient",
    "BitelError",
    "CallRecord",
    "CallStatus",
    "Clock",
    "ContractViolationError",
    "InvalidArgumentError",
    "InvalidGatewayError",
    "InvalidPhoneNumberError",
    "InvalidRequestError",
    "InvalidServerError",
    "InvalidTemplateError",
    "InvalidWebhookError",
    "NotFoundError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "SmsRecord",
    "SmsStatus",
    "SmsWebhookEvent",
    "SystemClock",
    "TemplateError",
    "TemplateFormatError",
    "TemplatePendingError",
    "VoiceWebhookEvent",
    "WaitTimeoutError",
    "normalize_number",
    "parse_sms_webhook",
    "parse_voice_webhook",
]
