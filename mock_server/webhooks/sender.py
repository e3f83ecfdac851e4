"""One HTTP POST of a webhook body: the only place that talks to a receiver.

Redirects are not followed and proxy variables are ignored, so a webhook
goes only to the configured URL; and only to an address its TargetPolicy
allows, checked as the connection opens. The answer's body is not read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bitel_mock.webhooks.targets import TargetPolicy, TargetRefused

if TYPE_CHECKING:
    import requests


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the receiver did with one POST."""

    status: int | None
    """Its HTTP status, if it answered."""
    error: str | None
    """None on a 2xx; otherwise what went wrong."""
    latency_ms: float
    refused: bool = False
    """Nothing was sent: the target is one webhooks may not go to (`error` says why)."""

    @property
    def ok(self) -> bool:
        return self.error is None


class Sender(Protocol):
    def send(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> SendResult: ...


class HttpSender:
    """Sends with `requests`, one session per thread, to addresses `targets` allows."""

    def __init__(self, targets: TargetPolicy | None = None) -> None:
        self.targets = targets if targets is not None else TargetPolicy()
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            # requests is imported on the first webhook: most runs send none, and it adds
            # about a tenth of a second to every worker's start.
            import requests

            from bitel_mock.webhooks.connections import checked_adapter

            session = requests.Session()
            session.trust_env = False  # no proxy from the environment: only the configured URL
            adapter = checked_adapter(self.targets)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
        return session

    def send(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> SendResult:
        import requests

        started = time.perf_counter()
        try:
            response = self._session().post(
                url,
                data=body,
                headers=dict(headers),
                timeout=timeout,
                allow_redirects=False,
                stream=True,
            )
        except TargetRefused as exc:
            return SendResult(None, f"refused: {exc}", _since(started), refused=True)
        except requests.exceptions.Timeout as exc:
            return SendResult(None, f"timeout after {timeout:g} s: {exc}", _since(started))
        except requests.exceptions.RequestException as exc:
            return SendResult(None, f"{type(exc).__name__}: {exc}", _since(started))
        response.close()
        status = response.status_code
        error = None if 200 <= status <= 299 else f"HTTP {status}"
        return SendResult(status, error, _since(started))


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
