"""The one place where exceptions become HTTP responses.

The emulated API answers every error in its envelope; the control plane
under /__admin answers `{"error": CODE, "message": TEXT}`. Flask's own HTML
pages never escape: every `HTTPException` is turned into one of those two
shapes, keeping its headers (`Allow` on 405).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from bitel_mock.errors import AdminError, ApiError, code_for_status
from bitel_mock.http import envelope
from bitel_mock.http.paths import is_admin_path
from bitel_mock.store.errors import StoreUnavailable

INTERNAL_ERROR = "InternalError"
SERVICE_UNAVAILABLE = "ServiceUnavailable"
STORE_RETRY_AFTER_SECONDS = 1
"""`Retry-After` of a 503 answered because the store is unavailable."""

logger = logging.getLogger("bitel_mock")

_CODES_BY_STATUS = {
    400: "InvalidRequest",
    401: "Unauthorized",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    429: "TooManyRequests",
}

# Headers of werkzeug's own error response that describe its HTML body.
_BODY_HEADERS = {"content-type", "content-length"}


def _code_for(exc: HTTPException) -> str:
    status = exc.code or 500
    if status in _CODES_BY_STATUS:
        return _CODES_BY_STATUS[status]
    return code_for_status(status, exc.name)


def _is_admin() -> bool:
    return is_admin_path(request.path)


def admin_error(code: str, message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    """The control plane's error shape."""
    return envelope.json_response({"error": code, "message": message}, status, headers)


def _on_api_error(exc: ApiError) -> Response:
    if _is_admin():
        return admin_error(exc.code, exc.detail or exc.code, exc.status)
    return envelope.error(exc.code, exc.status)


def _on_admin_error(exc: AdminError) -> Response:
    return admin_error(exc.code, exc.message, exc.status)


def _on_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    headers = {
        name: value
        for name, value in exc.get_headers()
        if name.lower() not in _BODY_HEADERS
    }
    code = _code_for(exc)
    if _is_admin():
        return admin_error(code, exc.description or code, status, headers)
    return envelope.error(code, status, headers)


def _on_store_unavailable(exc: StoreUnavailable) -> Response:
    # The store logged the incident (once, not per request); nothing was kept.
    headers = {"Retry-After": str(STORE_RETRY_AFTER_SECONDS)}
    if _is_admin():
        message = "the emulator's store is unavailable; see its log"
        return admin_error(SERVICE_UNAVAILABLE, message, 503, headers)
    return envelope.error(SERVICE_UNAVAILABLE, 503, headers)


def _on_unexpected(exc: Exception) -> Response:
    logger.exception("unexpected error while handling %s %s", request.method, request.path)
    if _is_admin():
        return admin_error(INTERNAL_ERROR, "unexpected error; see the emulator's log", 500)
    return envelope.error(INTERNAL_ERROR, 500)


def envelope_error_of(exc: Exception, method: str, path: str) -> tuple[int, str, dict[str, str]]:
    """Status, code and headers of the emulated API's answer to `exc` (logged when unexpected),
    as the handlers below answer it, for answers made outside Flask."""
    if isinstance(exc, ApiError):
        return exc.status, exc.code, {}
    if isinstance(exc, StoreUnavailable):
        return 503, SERVICE_UNAVAILABLE, {"Retry-After": str(STORE_RETRY_AFTER_SECONDS)}
    logger.error("unexpected error while handling %s %s", method, path, exc_info=exc)
    return 500, INTERNAL_ERROR, {}


def register_error_handlers(app: Flask) -> None:
    """Install the handlers that keep every answer in JSON."""
    app.register_error_handler(ApiError, _on_api_error)
    app.register_error_handler(AdminError, _on_admin_error)
    app.register_error_handler(StoreUnavailable, _on_store_unavailable)
    app.register_error_handler(HTTPException, _on_http_exception)
    app.register_error_handler(Exception, _on_unexpected)
