"""Every error the emulated API can answer, as exceptions with their code and status.

The domain raises these; `bitel_mock.http.errors` is the only place that
turns them into HTTP responses. Codes are the plain strings the real
service puts in the envelope's `error` field.
"""

from __future__ import annotations

import re
from http import HTTPStatus


def code_for_status(status: int, phrase: str | None = None) -> str:
    """An error code from an HTTP status's phrase: 503 -> ServiceUnavailable, 418 -> IMATeapot."""
    if phrase is None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            return "Error"
    words = re.split(r"[^A-Za-z0-9]+", phrase)
    return "".join(word[:1].upper() + word[1:].lower() for word in words if word) or "Error"


class ApiError(Exception):
    """An error answered in the envelope `{"result": null, "error": code}`."""

    code: str = "InvalidRequest"
    status: int = 400

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class InvalidRequest(ApiError):
    """The submitted request is invalid (doc)."""

    code = "InvalidRequest"


class InvalidServer(ApiError):
    """The selected server id is invalid (doc)."""

    code = "InvalidServer"


class InvalidPhoneNumber(ApiError):
    """A number is in no accepted form, when the emulator is set to say so."""

    code = "InvalidPhoneNumber"


class Unauthorized(ApiError):
    """No bearer token, or one that is not accepted."""

    code = "Unauthorized"
    status = 401


class NotFound(ApiError):
    """No such call, or no such path."""

    code = "NotFound"
    status = 404


class MethodNotAllowed(ApiError):
    """The path exists but not with this method."""

    code = "MethodNotAllowed"
    status = 405


class PayloadTooLarge(ApiError):
    """The body is larger than the emulator's limit."""

    code = "PayloadTooLarge"
    status = 413


NUMBER_ERRORS: dict[str, type[ApiError]] = {
    InvalidRequest.code: InvalidRequest,
    InvalidPhoneNumber.code: InvalidPhoneNumber,
}
"""The codes a number in no accepted form may be answered with (a setting)."""


class AdminError(Exception):
    """A 4xx of the control plane, answered as `{"error": CODE, "message": TEXT}`."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
