"""The reference client of the Bitel voice API (see the README's "Client" section).

from client import BitelClient
with BitelClient(token) as bitel:
    records = bitel.batch_call(phone_numbers=["09121234567"], voice_id=VOICE_ID)
"""

from client.bitel import DEFAULT_BASE_URL, MAX_BATCH, BitelClient
from client.errors import (
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
from client.models import CallRecord, CallStatus, normalize_number
from client.retry import Clock, RetryPolicy, SystemClock
from client.webhooks import VoiceWebhookEvent, parse_voice_webhook

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
