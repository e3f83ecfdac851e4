"""`BitelClient`: one keyword-argument method per endpoint of the Bitel voice API (v2)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

import requests

from bitel_mock.client.errors import (
    APIConnectionError,
    BatchIncompleteError,
    BitelError,
    InvalidArgumentError,
    WaitTimeoutError,
)
from bitel_mock.client.models import CallRecord, normalize_number
from bitel_mock.client.retry import Clock, RetryPolicy, SystemClock, parse_retry_after
from bitel_mock.client.wire import (
    decode,
    status_failure,
    translate_transport_errors,
    transport_failure,
)

__all__ = ["DEFAULT_BASE_URL", "MAX_BATCH", "BitelClient"]

DEFAULT_BASE_URL = "https://api.bitel.rest"
MAX_BATCH = 100
"""Most numbers one batch request may carry (doc)."""
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
"""Seconds to connect, seconds to wait for the answer."""
_VOICE = "/api/v2/voice"

Timeout = float | tuple[float, float]


class BitelClient:
    """A client of the Bitel voice API.

    Use it as a context manager (it closes the session it created). Every
    method returns `CallRecord`s or raises a `BitelError`. Only `call_status`
    is retried after a failure the request may have survived; a request that
    places calls is retried only when it provably never left (docs/client.md,
    "Retries never place a call twice").
    """

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        session: requests.Session | None = None,
        validate: bool = False,
        retry_policy: RetryPolicy | None = None,
        clock: Clock | None = None,
    ) -> None:
        """`retry_policy` overrides `max_retries`; `clock` is where the client waits
        (between retries and polls), replaceable in tests. `validate=True` checks every
        response body against the contract and raises ContractViolationError."""
        if not token:
            raise InvalidArgumentError("a token is required")
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._retry = (
            retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries)
        )
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
        }
        self._validate = validate

    # --- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        """Close the session if this client created it."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> BitelClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- endpoints -----------------------------------------------------------

    def batch_call(
        self,
        *,
        phone_numbers: Sequence[str],
        voice_id: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """Play a voice to up to 100 numbers; one record per number, in order."""
        body = {"phoneNumbers": _batch(phone_numbers), "voiceId": voice_id}
        return self._place("/batch", body, retry_count, server_id, many=True)

    def batch_tts_call(
        self,
        *,
        phone_numbers: Sequence[str],
        text: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """Read a text to up to 100 numbers; one record per number, in order."""
        body = {"phoneNumbers": _batch(phone_numbers), "text": text}
        return self._place("/batch/tts", body, retry_count, server_id, many=True)

    def single_call(
        self,
        *,
        phone_number: str,
        voice_id: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> CallRecord:
        """Play a voice to one number."""
        body = {"phoneNumber": normalize_number(phone_number), "voiceId": voice_id}
        return self._place("/single", body, retry_count, server_id, many=False)[0]

    def tts_call(
        self,
        *,
        phone_number: str,
        text: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> CallRecord:
        """Read a text to one number."""
        body = {"phoneNumber": normalize_number(phone_number), "text": text}
        return self._place("/single/tts", body, retry_count, server_id, many=False)[0]

    def otp_call(
        self,
        *,
        phone_number: str,
        code: str,
        voice_id: str | None = None,
        repeat_count: int | None = None,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> CallRecord:
        """Read a numeric code (1 to 5 digits, sent as `text`) to one number, after an
        optional voice; `repeat_count` is sent as the documented string."""
        body: dict[str, Any] = {"phoneNumber": normalize_number(phone_number), "text": code}
        if voice_id is not None:
            body["voiceId"] = voice_id
        if repeat_count is not None:
            body["repeatCount"] = str(repeat_count)
        return self._place("/otp", body, retry_count, server_id, many=False)[0]

    def call_status(self, call_id: str) -> CallRecord:
        """The current record of a call (retried on transport errors, 429 and 5xx)."""
        if not call_id or "/" in call_id:
            raise InvalidArgumentError(f"not a call id: {call_id!r}")
        return self._request(
            "GET", f"{_VOICE}/status/{call_id}", None, many=False, places_calls=False
        )[0]

    # --- conveniences --------------------------------------------------------

    def batch_call_all(
        self,
        *,
        phone_numbers: Iterable[str],
        voice_id: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """`batch_call` for any number of recipients, in requests of at most 100."""
        return self._split(
            list(phone_numbers),
            lambda chunk: self.batch_call(
                phone_numbers=chunk, voice_id=voice_id, retry_count=retry_count, server_id=server_id
            ),
        )

    def batch_tts_call_all(
        self,
        *,
        phone_numbers: Iterable[str],
        text: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """`batch_tts_call` for any number of recipients, in requests of at most 100."""
        return self._split(
            list(phone_numbers),
            lambda chunk: self.batch_tts_call(
                phone_numbers=chunk, text=text, retry_count=retry_count, server_id=server_id
            ),
        )

    def wait_for_final(
        self,
        ids: Iterable[str],
        *,
        timeout: float = 600.0,
        poll_interval: float = 5.0,
    ) -> list[CallRecord]:
        """Poll until every call has a final status; the records in the order of `ids`.

        Raises WaitTimeoutError (with the last records seen) when `timeout` seconds
        pass first. Final calls are not asked for again.
        """
        wanted = list(ids)
        if poll_interval <= 0 or timeout < 0:
            raise InvalidArgumentError("poll_interval must be positive and timeout not negative")
        deadline = self._clock.monotonic() + timeout
        latest: dict[str, CallRecord] = {}
        while True:
            for call_id in dict.fromkeys(wanted):
                if call_id not in latest or not latest[call_id].is_final:
                    latest[call_id] = self.call_status(call_id)
            records = [latest[call_id] for call_id in wanted]
            pending = sum(not record.is_final for record in records)
            if not pending:
                return records
            remaining = deadline - self._clock.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(
                    f"{pending} of {len(records)} calls still not final after {timeout} s",
                    records=records,
                )
            self._clock.sleep(min(poll_interval, remaining))

    # --- plumbing ------------------------------------------------------------

    def _split(self, numbers: list[str], place: Any) -> list[CallRecord]:
        if not numbers:
            raise InvalidArgumentError("no phone numbers given")
        placed: list[CallRecord] = []
        for start in range(0, len(numbers), MAX_BATCH):
            chunk = numbers[start : start + MAX_BATCH]
            try:
                placed.extend(place(chunk))
            except BitelError as exc:
                raise BatchIncompleteError(
                    f"stopped after placing {len(placed)} of {len(numbers)} calls: {exc}",
                    placed=placed,
                    unsent=numbers[start:],
                ) from exc
        return placed

    def _place(
        self,
        path: str,
        body: dict[str, Any],
        retry_count: int | None,
        server_id: str | None,
        *,
        many: bool,
    ) -> list[CallRecord]:
        if retry_count is not None:
            body["retryCount"] = retry_count
        if server_id is not None:
            body["serverId"] = server_id
        return self._request("POST", _VOICE + path, body, many=many, places_calls=True)

    def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        *,
        many: bool,
        places_calls: bool,
    ) -> list[CallRecord]:
        url = self._base_url + path
        retries = 0
        while True:
            try:
                with translate_transport_errors(method, url, places_calls=places_calls):
                    response = self._session.request(
                        method,
                        url,
                        json=body,
                        headers=self._headers,
                        timeout=self._timeout,
                        allow_redirects=False,
                    )
                    # Read inside the context: a failure while reading the body is a transport error.
                    _ = response.content
            except APIConnectionError as exc:
                delay = self._retry.next_delay(
                    retries, transport_failure(exc), idempotent=not places_calls
                )
                if delay is None:
                    raise
            else:
                retry_after = parse_retry_after(
                    response.headers.get("Retry-After"), now=self._clock.time()
                )
                failure = status_failure(response.status_code)
                delay = None
                if failure is not None:
                    delay = self._retry.next_delay(
                        retries, failure, idempotent=not places_calls, retry_after=retry_after
                    )
                if delay is None:
                    return decode(
                        response,
                        many=many,
                        validate=self._validate,
                        places_calls=places_calls,
                        retry_after=retry_after,
                    )
                response.close()
            retries += 1
            self._clock.sleep(delay)


def _batch(phone_numbers: Sequence[str]) -> list[str]:
    if isinstance(phone_numbers, str):
        raise InvalidArgumentError("phone_numbers is a list of numbers, not one string")
    numbers = [normalize_number(number) for number in phone_numbers]
    if not numbers:
        raise InvalidArgumentError("no phone numbers given")
    if len(numbers) > MAX_BATCH:
        raise InvalidArgumentError(
            f"{len(numbers)} numbers: a batch takes at most {MAX_BATCH} "
            "(batch_call_all splits any number into batches)"
        )
    return numbers
