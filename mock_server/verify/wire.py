"""The thin HTTP layer of `verify`: raw requests to the target, answers kept whole.

The reference client turns answers into models and errors; a checker needs
the status, headers and body exactly as they came, so this layer is plain
`requests`. A transport failure becomes `Unreachable`, which stops the run. A 429 with
a short `Retry-After` is waited out and the request sent again, except for
requests that may place calls (`resend=False`): a rate limit is not what
the probes are about.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import requests

from bitel_mock.verify.model import Exchange

TIMEOUT_SECONDS = (5.0, 30.0)
MAX_RETRY_AFTER_SECONDS = 10.0
MAX_RESENDS = 3
NO_BODY = object()
"""Marks a request sent without any body."""


class Unreachable(Exception):
    """The target could not be reached (refused, unresolvable, timed out)."""


class Target:
    """The server under verification: its base URL, the token, a `requests` session."""

    def __init__(
        self,
        base_url: str,
        token: str,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        admin_token: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.admin_token = admin_token
        """Sent on bitel-mock's control-plane requests only, never to the API under test."""
        self.session = session or requests.Session()
        self.sleep = sleep
        self.sent = 0

    def auth_header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def send(
        self,
        method: str,
        path: str,
        *,
        body: Any = NO_BODY,
        raw: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        authorized: bool = True,
        resend: bool = True,
    ) -> Exchange:
        """Send one request; `body` goes as JSON, `raw` as is; returns the whole answer."""
        sent_headers = dict(self.auth_header() if authorized else {})
        sent_headers.update(headers or {})
        data: str | bytes | None = None
        shown: Any = None
        if raw is not None:
            data, shown = raw, raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        elif body is not NO_BODY:
            data, shown = json.dumps(body, ensure_ascii=False).encode("utf-8"), body
        if data is not None:
            sent_headers.setdefault("Content-Type", "application/json")
        return self.request(
            method, path, data=data, headers=sent_headers, shown=shown, resend=resend
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        data: Any,
        headers: dict[str, str],
        shown: Any,
        resend: bool = True,
    ) -> Exchange:
        """Send a prepared request (used by generated cases too)."""
        exchange = self._once(method, path, data=data, headers=headers, shown=shown)
        for _ in range(MAX_RESENDS if resend else 0):
            wait = _retry_after(exchange)
            if wait is None:
                break
            self.sleep(wait)
            exchange = self._once(method, path, data=data, headers=headers, shown=shown)
        return exchange

    def _once(
        self, method: str, path: str, *, data: Any, headers: dict[str, str], shown: Any
    ) -> Exchange:
        self.sent += 1
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                data=data,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Unreachable(f"{method} {self.base_url}{path}: {exc}") from exc
        return Exchange(
            method=method,
            path=path,
            body=shown,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            text=response.content.decode("utf-8", "replace"),
        )

    def admin(self, method: str, path: str, body: Any = NO_BODY) -> Exchange:
        """A control-plane request of bitel-mock: with the admin token when one is given."""
        headers = {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else None
        return self.send(method, path, body=body, authorized=False, headers=headers)

    def admin_json(self, method: str, path: str, body: Any = NO_BODY) -> Any | None:
        """A control-plane answer of bitel-mock, or None when the target has no such endpoint."""
        exchange = self.admin(method, path, body)
        if exchange.status != 200:
            return None
        try:
            return exchange.json()
        except ValueError:
            return None


def _retry_after(exchange: Exchange) -> float | None:
    """Seconds to wait before sending again: only after a 429 with a short Retry-After."""
    if exchange.status != 429:
        return None
    try:
        seconds = float(exchange.headers.get("retry-after", ""))
    except ValueError:
        return None
    return seconds if 0 <= seconds <= MAX_RETRY_AFTER_SECONDS else None
