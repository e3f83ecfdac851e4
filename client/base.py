"""The engine under every endpoint method: one session, the retry loop, splitting long lists
into batches and polling until records are final. Knows no endpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

import requests

from bitel_mock.client.errors import (
    APIConnectionError,
    BatchIncompleteError,
    BitelError,
    InvalidArgumentError,
    WaitTimeoutError,
)
from bitel_mock.client.models import normalize_number
from bitel_mock.client.retry import Clock, RetryPolicy, SystemClock, parse_retry_after
from bitel_mock.client.wire import (
    Expected,
    decode,
    status_failure,
    translate_transport_errors,
    transport_failure,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_BATCH",
    "BaseClient",
    "batch_numbers",
    "numbers_to_split",
]

DEFAULT_BASE_URL = "https://api.bitel.rest"
MAX_BATCH = 100
"""Most numbers one batch request may carry (doc)."""
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
"""Seconds to connect, seconds to wait for the answer."""

Timeout = float | tuple[float, float]
R = TypeVar("R")


class _Settles(Protocol):
    @property
    def is_final(self) -> bool: ...


S = TypeVar("S", bound=_Settles)


class BaseClient:
    """A session to Bitel with its retry policy and clock; endpoint methods live in subclasses."""

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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- plumbing ------------------------------------------------------------

    def _split(
        self,
        numbers: list[str],
        send: Callable[[list[str]], list[R]],
        *,
        progress: str,
    ) -> list[R]:
        """`send` each run of at most MAX_BATCH numbers, in order. `progress` words what was
        done: "placing {done} of {total} calls"."""
        if not numbers:
            raise InvalidArgumentError("no phone numbers given")
        done: list[R] = []
        for start in range(0, len(numbers), MAX_BATCH):
            chunk = numbers[start : start + MAX_BATCH]
            try:
                done.extend(send(chunk))
            except BitelError as exc:
                so_far = progress.format(done=len(done), total=len(numbers))
                raise BatchIncompleteError(
                    f"stopped after {so_far}: {exc}",
                    placed=done,
                    unsent=numbers[start:],
                ) from exc
        return done

    def _wait_until_final(
        self,
        ids: Iterable[str],
        current: Callable[[str], S],
        *,
        timeout: float,
        poll_interval: float,
        noun: str,
    ) -> list[S]:
        """Ask `current(id)` for each id not yet final, every `poll_interval` seconds, until
        all are final (the records, in the order of `ids`) or `timeout` passes
        (WaitTimeoutError with the last records seen)."""
        wanted = list(ids)
        if poll_interval <= 0 or timeout < 0:
            raise InvalidArgumentError("poll_interval must be positive and timeout not negative")
        deadline = self._clock.monotonic() + timeout
        latest: dict[str, S] = {}
        while True:
            for one_id in dict.fromkeys(wanted):
                if one_id not in latest or not latest[one_id].is_final:
                    latest[one_id] = current(one_id)
            records = [latest[one_id] for one_id in wanted]
            pending = sum(not record.is_final for record in records)
            if not pending:
                return records
            remaining = deadline - self._clock.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(
                    f"{pending} of {len(records)} {noun} still not final after {timeout} s",
                    records=records,
                )
            self._clock.sleep(min(poll_interval, remaining))

    def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        expected: Expected[R],
        *,
        unsafe_note: str | None,
    ) -> list[R]:
        """Send one request, retried as the policy allows: a request with an `unsafe_note`
        (it places calls or sends messages) only when it provably never left."""
        url = self._base_url + path
        retries = 0
        while True:
            try:
                with translate_transport_errors(method, url, unsafe_note=unsafe_note):
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
                    retries, transport_failure(exc), idempotent=unsafe_note is None
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
                        retries, failure, idempotent=unsafe_note is None, retry_after=retry_after
                    )
                if delay is None:
                    return decode(
                        response,
                        expected,
                        validate=self._validate,
                        unsafe_note=unsafe_note,
                        retry_after=retry_after,
                    )
                response.close()
            retries += 1
            self._clock.sleep(delay)


def batch_numbers(phone_numbers: Sequence[str], *, splitter: str | None) -> list[str]:
    """The numbers of one batch request, normalised; InvalidArgumentError for a single string,
    an empty list or more than MAX_BATCH (naming `splitter`, the method that splits, if any)."""
    if isinstance(phone_numbers, str):
        raise InvalidArgumentError("phone_numbers is a list of numbers, not one string")
    numbers = [normalize_number(number) for number in phone_numbers]
    if not numbers:
        raise InvalidArgumentError("no phone numbers given")
    if len(numbers) > MAX_BATCH:
        hint = f" ({splitter} splits any number into batches)" if splitter else ""
        raise InvalidArgumentError(
            f"{len(numbers)} numbers: a batch takes at most {MAX_BATCH}{hint}"
        )
    return numbers


def numbers_to_split(phone_numbers: Iterable[str]) -> list[str]:
    """Any number of recipients as a list; InvalidArgumentError for a single string (which
    would otherwise be split into its characters)."""
    if isinstance(phone_numbers, str):
        raise InvalidArgumentError("phone_numbers is a list of numbers, not one string")
    return list(phone_numbers)
