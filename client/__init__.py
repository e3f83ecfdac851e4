"""The reference client of the Bitel voice API (see the README's "Client" section).

from bitel_mock.client import BitelClient
with BitelClient(token) as bitel:
    records = bitel.batch_call(phone_numbers=["09121234567"], voice_id=VOICE_ID)
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
    InvalidPhoneNumberError,
    InvalidRequestError,
    InvalidServerError,
    InvalidWebhookError,
    NotFoundError,
    RateLimitError,
    ServerError,
    WaitTimeoutError,
)
from bitel_mock.client.models import CallRecord, CallStatus, normalize_number
from bitel_mock.client.retry import Clock, RetryPolicy, SystemClock
from bitel_mock.client.webhooks import VoiceWebhookEvent, parse_voice_webhook

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
    "InvalidPhoneNumberError",
    "InvalidRequestError",
    "InvalidServerError",
    "InvalidWebhookError",
    "NotFoundError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "SystemClock",
    "VoiceWebhookEvent",
    "WaitTimeoutError",
    "normalize_number",
    "parse_voice_webhook",
]
