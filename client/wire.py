"""From the wire to Python: transport failures become client errors (in one context
manager), and responses become records (calls or messages) or the right `APIError`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import requests
import urllib3.exceptions

from bitel_mock import contracts
from bitel_mock.client.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ContractViolationError,
    InvalidArgumentError,
    RateLimitError,
    error_class,
)
from bitel_mock.client.fields import MalformedRecord
from bitel_mock.client.retry import Failure

__all__ = [
    "DOUBLE_DIAL_NOTE",
    "DOUBLE_SEND_NOTE",
    "Expected",
    "decode",
    "never_connected",
    "translate_transport_errors",
]

DOUBLE_DIAL_NOTE = (
    "It was not retried: the request may have reached Bitel and placed the calls, "
    "and a retry could place them twice. Check the calls (e.g. in the Bitel panel) "
    "before placing them again."
)
DOUBLE_SEND_NOTE = (
    "It was not retried: the request may have reached Bitel and sent the messages, "
    "and a retry could send them twice. Check the messages (e.g. in the Bitel panel) "
    "before sending them again."
)
"""Added to the error of a request that may have taken effect: a calls-placing or a
messages-sending request (these are never retried once they may have reached the server)."""

_MAX_BODY_IN_MESSAGE = 200
R = TypeVar("R")


@dataclass(frozen=True)
class Expected(Generic[R]):
    """What a success answer carries: one record, or a non-empty list of them."""

    read: Callable[[Any], R]
    """Reads one record (raises MalformedRecord)."""
    schema: str
    """The contract's schema of the whole success body."""
    many: bool
    noun: str
    """What a record is, in messages: "call records"."""


def never_connected(exc: BaseException) -> bool:
    """True only when urllib3 says no connection was established, so the request never left.

    `requests` raises ConnectionError for failures after sending too (a reset,
    a closed connection): those are not this.
    """
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(exc, requests.exceptions.ConnectionError):
        return False
    reason: Any = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    # NewConnectionError (refused, unreachable, name resolution) is a ConnectTimeoutError.
    return isinstance(reason, urllib3.exceptions.ConnectTimeoutError)


@contextmanager
def translate_transport_errors(method: str, url: str, *, unsafe_note: str | None) -> Iterator[None]:
    """Re-raise every `requests` exception as a BitelError, cause kept: InvalidArgumentError for a
    request refused before sending, else APIConnectionError or APITimeoutError (whose message
    ends with `unsafe_note` when the request may have reached the server)."""
    try:
        yield
    except (
        requests.exceptions.InvalidURL,
        requests.exceptions.InvalidSchema,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidHeader,
        requests.exceptions.InvalidJSONError,
    ) as exc:
        # Refused while preparing the request: nothing was sent.
        raise InvalidArgumentError(f"{method} {url}: {exc}") from exc
    except requests.exceptions.RequestException as exc:
        untouched = never_connected(exc)
        timed_out = isinstance(exc, requests.exceptions.Timeout)
        what = "timed out" if timed_out else "failed"
        if untouched:
            message = f"{method} {url}: could not connect ({exc}); the request never left"
        else:
            message = f"{method} {url} {what}: {exc}"
            if unsafe_note:
                message = f"{message}. {unsafe_note}"
        cls = APITimeoutError if timed_out else APIConnectionError
        raise cls(message, never_connected=untouched) from exc


def transport_failure(exc: APIConnectionError) -> Failure:
    """The retry policy's view of a transport error."""
    if exc.never_connected:
        return Failure.NOT_CONNECTED
    return Failure.TIMEOUT if isinstance(exc, APITimeoutError) else Failure.CONNECTION


def status_failure(status: int) -> Failure | None:
    """The retry policy's view of a status: None when it is not worth retrying."""
    if status == 429:
        return Failure.RATE_LIMITED
    if 500 <= status <= 599:
        return Failure.SERVER_ERROR
    return None


def _short(text: str) -> str:
    return text if len(text) <= _MAX_BODY_IN_MESSAGE else text[:_MAX_BODY_IN_MESSAGE] + "..."


def _text(response: requests.Response) -> str:
    return response.content.decode("utf-8", errors="replace")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: absurdly nested arrays
        return _NOT_JSON


_NOT_JSON = object()


def _is_error_envelope(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and set(body) == {"result", "error"}
        and body["result"] is None
        and isinstance(body["error"], str)
        and body["error"] != ""
    )


def _validate(schema_name: str, body: Any, fields: dict[str, Any]) -> None:
    errors = list(contracts.validator(schema_name).iter_errors(body))
    if errors:
        violations = [
            f"/{'/'.join(str(p) for p in error.instance_path)}: {error.message}" for error in errors
        ]
        raise ContractViolationError(
            f"HTTP {fields['http_status']}: the body breaks the contract ({schema_name}): "
            + "; ".join(violations[:3]),
            violations=violations,
            **fields,
        )


def decode(
    response: requests.Response,
    expected: Expected[R],
    *,
    validate: bool,
    unsafe_note: str | None,
    retry_after: float | None = None,
) -> list[R]:
    """The records of a success answer; raises the matching error for anything else.

    Never lets a decoding problem escape as anything but a BitelError: a body
    that is not the envelope is an APIError carrying the raw text.
    """
    status = response.status_code
    text = _text(response)
    body = _json(text)
    fields: dict[str, Any] = {
        "http_status": status,
        "body": text,
        "json_body": None if body is _NOT_JSON else body,
        "headers": dict(response.headers),
    }
    success = status == 200
    if validate and body is not _NOT_JSON:
        _validate(expected.schema if success else "error-envelope", body, fields)

    if _is_error_envelope(body) or not success:
        code = body["error"] if _is_error_envelope(body) else None
        cls = error_class(status, code)
        if code is None:
            message = f"HTTP {status}, not the Bitel envelope: {_short(text)!r}"
        else:
            message = f"HTTP {status} {code}"
        if unsafe_note and 500 <= status <= 599:
            message = f"{message}. {unsafe_note}"
        if cls is RateLimitError:
            raise RateLimitError(message, code=code, retry_after=retry_after, **fields)
        raise cls(message, code=code, **fields)

    try:
        if (
            not isinstance(body, dict)
            or set(body) != {"result", "error"}
            or body["error"] is not None
        ):
            raise MalformedRecord("the body is not the success envelope {result, error: null}")
        result = body["result"]
        if expected.many:
            if not isinstance(result, list) or not result:
                raise MalformedRecord(f"result is not a non-empty list of {expected.noun}")
            return [expected.read(item) for item in result]
        return [expected.read(result)]
    except MalformedRecord as exc:
        raise APIError(
            f"HTTP {status}, unreadable answer: {exc}: {_short(text)!r}", **fields
        ) from exc
