"""Every error the client raises: one hierarchy rooted at `BitelError`.

    BitelError
    ├── InvalidArgumentError        refused before anything was sent
    ├── BatchIncompleteError        a split batch stopped partway
    ├── WaitTimeoutError            calls or messages still not final when the wait ran out
    ├── ContractViolationError      a response broke the contract (validate=True)
    ├── InvalidWebhookError         a received webhook body is not an event
    ├── APIConnectionError          the transport failed
    │   └── APITimeoutError
    └── APIError                    Bitel answered with an error, or with no envelope
        ├── InvalidRequestError     400 InvalidRequest
        │   └── InvalidPhoneNumberError
        ├── InvalidServerError      400 InvalidServer
        ├── InvalidGatewayError     4xx InvalidGateway
        ├── TemplateError           4xx, a template could not be used
        │   ├── InvalidTemplateError    InvalidTemplate
        │   ├── TemplatePendingError    TemplatePending
        │   └── TemplateFormatError     TemplateFormatError
        ├── AuthenticationError     401
        ├── NotFoundError           404
        ├── RateLimitError          429 (retry_after)
        └── ServerError             5xx

`error_class(status, code)` is the one table from an answer to a class.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bitel_mock.client.models import CallRecord
    from bitel_mock.client.sms_models import SmsRecord

    Records = list[CallRecord] | list[SmsRecord]

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BatchIncompleteError",
    "BitelError",
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
    "ServerError",
    "TemplateError",
    "TemplateFormatError",
    "TemplatePendingError",
    "WaitTimeoutError",
    "error_class",
]


class BitelError(Exception):
    """Base of every error this client raises."""


# --- Refused or abandoned by the client itself -------------------------------


class InvalidArgumentError(BitelError, ValueError):
    """An argument was refused before any request was sent."""


class BatchIncompleteError(BitelError):
    """A split batch failed partway; `placed` holds the records of the requests that succeeded
    (calls or messages), `unsent` the numbers of the failed request and of those after it."""

    def __init__(self, message: str, *, placed: Records, unsent: list[str]) -> None:
        super().__init__(message)
        self.placed = placed
        self.unsent = unsent


class WaitTimeoutError(BitelError):
    """Some calls or messages were still not final when the wait ran out; `records` holds the
    last seen."""

    def __init__(self, message: str, *, records: Records) -> None:
        super().__init__(message)
        self.records = records


class InvalidWebhookError(BitelError, ValueError):
    """A received webhook body is not JSON or breaks the contract; `violations` lists how."""

    def __init__(self, message: str, *, violations: list[str]) -> None:
        super().__init__(message)
        self.violations = violations


# --- Transport ----------------------------------------------------------------


class APIConnectionError(BitelError):
    """The request could not be completed by the transport (the cause is chained)."""

    def __init__(self, message: str, *, never_connected: bool) -> None:
        super().__init__(message)
        self.never_connected = never_connected
        """True when no connection was ever established: the request provably never left."""


class APITimeoutError(APIConnectionError):
    """The connection or the answer took longer than the timeout."""


# --- Answers from the server ---------------------------------------------------


class _HTTPFailure(BitelError):
    """An answer that carries a status, a raw body and headers."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int,
        code: str | None = None,
        body: str = "",
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code
        self.body = body
        self.json_body = json_body
        self.headers: Mapping[str, str] = dict(headers or {})


class ContractViolationError(_HTTPFailure):
    """A response broke the contract in `contracts/` (raised only with validate=True)."""

    def __init__(self, message: str, *, violations: list[str], **fields: Any) -> None:
        super().__init__(message, **fields)
        self.violations = violations


class APIError(_HTTPFailure):
    """Bitel answered an error, or something that is not its envelope (`code` is then None)."""


class InvalidRequestError(APIError):
    """The request was refused as invalid (400 InvalidRequest)."""


class InvalidPhoneNumberError(InvalidRequestError):
    """A phone number was refused (400 InvalidPhoneNumber)."""


class InvalidServerError(APIError):
    """The `serverId` is not one Bitel knows (400 InvalidServer)."""


class InvalidGatewayError(APIError):
    """The `gatewayNumber` is not a line the account may send from (InvalidGateway)."""


class TemplateError(APIError):
    """A template message was refused because of its template."""


class InvalidTemplateError(TemplateError):
    """No template has that `templateId` (InvalidTemplate)."""


class TemplatePendingError(TemplateError):
    """The template is registered but not reviewed yet (TemplatePending)."""


class TemplateFormatError(TemplateError):
    """The `params` do not fit the template's placeholders (TemplateFormatError)."""


class AuthenticationError(APIError):
    """The token is missing or not accepted (401)."""


class NotFoundError(APIError):
    """No call or message has that id, or no such path (404)."""


class RateLimitError(APIError):
    """Too many requests (429); `retry_after` is the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.retry_after = retry_after


class ServerError(APIError):
    """The server failed (5xx)."""


_ANY_STATUS = range(0, 1000)
# The real service's statuses for the SMS codes are not documented (the emulator answers 400):
# within 4xx, the code decides.
_CLIENT_ERROR = range(400, 500)

# First matching row wins: (statuses, error code or None for any, class).
_ERROR_TABLE: tuple[tuple[range, str | None, type[APIError]], ...] = (
    (range(500, 600), None, ServerError),
    (range(429, 430), None, RateLimitError),
    (range(401, 402), None, AuthenticationError),
    (range(404, 405), None, NotFoundError),
    (range(400, 401), "InvalidPhoneNumber", InvalidPhoneNumberError),
    (range(400, 401), "InvalidServer", InvalidServerError),
    (_CLIENT_ERROR, "InvalidGateway", InvalidGatewayError),
    (_CLIENT_ERROR, "InvalidTemplate", InvalidTemplateError),
    (_CLIENT_ERROR, "TemplatePending", TemplatePendingError),
    (_CLIENT_ERROR, "TemplateFormatError", TemplateFormatError),
    (range(400, 401), None, InvalidRequestError),
    (_ANY_STATUS, "Unauthorized", AuthenticationError),
    (_ANY_STATUS, "NotFound", NotFoundError),
    (_ANY_STATUS, "TooManyRequests", RateLimitError),
)


def error_class(status: int, code: str | None) -> type[APIError]:
    """The class for an error answer: by status and code; APIError when nothing more precise fits
    (e.g. 405 MethodNotAllowed, 413 PayloadTooLarge, or a body that is not the envelope)."""
    for statuses, wanted, cls in _ERROR_TABLE:
        if status in statuses and (wanted is None or wanted == code):
            return cls
    return APIError
