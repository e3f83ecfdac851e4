"""pytest fixtures for applications that call the Bitel API: installed with bitel-mock.

- `bitel_mock`: a fresh in-process emulator per test (manual clock), with its
  Flask test client (`bitel_mock.client`) and the helpers of `BitelMock`;
- `bitel_mock_server`: the same, served on a free loopback port per test, for
  code that needs a URL (`bitel_mock_server.url`);
- `bitel_mock_settings`: the `Settings` both use; override it in a conftest.

Every helper goes through the control plane over HTTP (the test client, or
the live URL), exactly as a test in another language would.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests as http

from bitel_mock.app import create_app
from bitel_mock.domain.clock import ClockMode
from bitel_mock.emulator import EXTENSION_KEY
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.toolkit.journal import contains

ADMIN = "/__admin"
DEFAULT_SEED = 0
_SHOWN_REQUESTS = 10
_CAMEL = {
    "phone_number": "phoneNumber",
    "path_pattern": "pathPattern",
    "min_seconds": "minSeconds",
    "max_seconds": "maxSeconds",
    "max_waiting": "maxWaiting",
}
_MISSING = "<missing>"


class BitelMockError(AssertionError):
    """The control plane refused a helper's request."""


class _TestClientTransport:
    def __init__(self, app: Any) -> None:
        self.client = app.test_client()

    def send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
        response = self.client.open(path, method=method, json=body, headers=headers)
        return response.status_code, response.get_json(silent=True)


class _HttpTransport:
    def __init__(self, url: str) -> None:
        self.url = url
        self.session = http.Session()

    def send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
        response = self.session.request(method, self.url + path, json=body, headers=headers, timeout=30)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None


def _camel(fields: dict[str, Any]) -> dict[str, Any]:
    return {_CAMEL.get(key, key): value for key, value in fields.items() if value is not None}


def _projection(actual: Any, expected: Any) -> Any:
    """`actual` cut down to the keys `expected` names, so a diff shows only what matters."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: _projection(actual.get(key, _MISSING), value) for key, value in expected.items()}
    return actual


def _pretty(value: Any) -> list[str]:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


class BitelMock:
    """A handle on one emulator: its app, its URL when served, and helpers for tests."""

    def __init__(self, app: Any, url: str | None = None, admin_token: str | None = None) -> None:
        self.app = app
        self.url = url
        self.client = app.test_client()
        self._transport = _HttpTransport(url) if url else _TestClientTransport(app)
        self._headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}

    @property
    def emulator(self) -> Any:
        return self.app.extensions[EXTENSION_KEY]

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call the control plane (`path` under /__admin); its JSON answer, or BitelMockError."""
        status, answer = self._transport.send(method, ADMIN + path, body, self._headers)
        if not 200 <= status < 300:
            raise BitelMockError(f"{method} {ADMIN}{path} answered {status}: {answer}")
        return answer

    # --- time and outcomes -----------------------------------------------------

    def advance(self, seconds: float) -> Any:
        """Move the emulator's (manual) clock forward."""
        return self.admin("POST", "/clock/advance", {"seconds": seconds})

    def set_outcome(self, number: str, *attempts: Any) -> Any:
        """Script what calls to `number` do, attempt by attempt, e.g.
        `set_outcome("09121234567", "USER_BUSY", {"status": "NORMAL", "talkSeconds": 30})`."""
        return self.admin("POST", "/scenarios", {"number": number, "attempts": list(attempts)})

    def calls(self, number: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        """Calls the emulator holds, optionally only those to `number` or in `status`."""
        query = urlencode(_camel({"number": number, "status": status}))
        return self.admin("GET", "/calls" + (f"?{query}" if query else ""))["calls"]

    def reset(self) -> Any:
        """Forget every call, rule, fault, journal entry and clock offset."""
        return self.admin("POST", "/reset")

    # --- faults and limits -----------------------------------------------------

    def add_fault(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Install a fault, e.g. `add_fault("status", path="/api/v2/voice/batch", status=503, times=1)`;
        snake_case names are accepted for the JSON's camelCase ones."""
        return self.admin("POST", "/faults", {"kind": kind, **_camel(fields)})

    def faults(self) -> list[dict[str, Any]]:
        return self.admin("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        self.admin("DELETE", "/faults")

    def set_rate_limit(
        self, rps: float | None = None, burst: int | None = None, max_waiting: int | None = None
    ) -> Any:
        return self.admin("PUT", "/rate-limit", _camel({"rps": rps, "burst": burst, "max_waiting": max_waiting}))

    # --- the journal -----------------------------------------------------------

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """Every journaled request matching `method`, `path`, `status`, `error`,
        `phone_number`, newest first."""
        query = _camel(filters)
        entries: list[dict[str, Any]] = []
        cursor = None
        while True:
            params = dict(query, limit=1000, **({"cursor": cursor} if cursor else {}))
            page = self.admin("GET", "/requests?" + urlencode(params))
            entries.extend(page["requests"])
            cursor = page["nextCursor"]
            if cursor is None:
                return entries

    def count(self, **matcher: Any) -> int:
        """How many journaled requests match (`body_contains` is a JSON subset)."""
        body = _camel(matcher)
        if "body_contains" in matcher:
            body["bodyContains"] = body.pop("body_contains")
        return self.admin("POST", "/requests/count", body)["count"]

    def clear_requests(self) -> None:
        self.admin("DELETE", "/requests")

    def assert_called(
        self,
        path: str,
        *,
        times: int | None = None,
        body_contains: Any = None,
        method: str | None = None,
    ) -> list[dict[str, Any]]:
        """Assert that `path` received requests (exactly `times` if given) whose JSON body
        contains `body_contains`; returns them. A failure lists what was received."""
        __tracebackhide__ = True
        matcher: dict[str, Any] = {"path": path, "method": method}
        if body_contains is not None:
            matcher["body_contains"] = body_contains
        matching = self.count(**matcher)
        ok = matching == times if times is not None else matching > 0
        if ok:
            received = self.requests(path=path, method=method)
            return [e for e in received if body_contains is None or contains(e["body"], body_contains)]
        wanted = f"{times} request(s)" if times is not None else "at least one request"
        lines = [f"expected {wanted} to {method or 'any method'} {path}"
                 + (" with a body containing the expected subset" if body_contains is not None else "")
                 + f"; {matching} matched."]
        received = self.requests(path=path, method=method)
        if not received:
            others = self.requests()
            seen = ", ".join(sorted({f"{e['method']} {e['path']}" for e in others})) or "nothing"
            lines.append(f"No request reached {path}; the emulator received: {seen}.")
        for entry in received[:_SHOWN_REQUESTS]:
            lines.append(f"- #{entry['seq']} {entry['method']} {entry['path']} -> {entry['status']} {entry['error'] or ''}".rstrip())
            if body_contains is not None:
                diff = difflib.unified_diff(
                    _pretty(body_contains), _pretty(_projection(entry["body"], body_contains)),
                    "expected", "received", lineterm="", n=2,
                )
                lines.extend("    " + line for line in diff)
            else:
                lines.extend("    " + line for line in _pretty(entry["body"]))
        if len(received) > _SHOWN_REQUESTS:
            lines.append(f"... and {len(received) - _SHOWN_REQUESTS} more")
        raise AssertionError("\n".join(lines))


def default_settings() -> Settings:
    """A seeded emulator on a manual clock."""
    return Settings(seed=DEFAULT_SEED, clock=ClockMode.MANUAL)


@pytest.fixture
def bitel_mock_settings() -> Settings:
    """The settings of `bitel_mock` and `bitel_mock_server`; override to change them."""
    return default_settings()


@pytest.fixture
def bitel_mock(bitel_mock_settings: Settings) -> BitelMock:
    """A fresh in-process emulator for this test."""
    return BitelMock(create_app(bitel_mock_settings), admin_token=bitel_mock_settings.admin_token)


@pytest.fixture
def bitel_mock_server(bitel_mock_settings: Settings) -> Iterator[BitelMock]:
    """A fresh emulator served on a free loopback port for this test (`.url`)."""
    app = create_app(bitel_mock_settings)
    with ThreadedServer(app) as server:
        yield BitelMock(app, url=server.url, admin_token=bitel_mock_settings.admin_token)
