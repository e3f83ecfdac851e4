"""Where and how webhooks are sent: URLs (a default and one per token), timeout, retries, faults.

The configuration is kept in the store as a plain JSON object (so every
worker reads the same one); `None` there means "as the settings say". Tokens
are never kept: a per-token URL is keyed by the token's fingerprint.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from bitel_mock.tokens import token_fingerprint

DEFAULT_TIMEOUT_SECONDS = 5.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 3600
"""Retries wait backoff x 2^(n-1), never longer than this."""
MAX_TIMEOUT_SECONDS = 60.0
MAX_RETRIES = 20
MAX_DUPLICATES = 5
MAX_DELAY_SECONDS = 7 * 24 * 3600
MAX_TOKEN_URLS = 100
MAX_URL_LENGTH = 2048


def check_url(url: str, allowed_hosts: frozenset[str] = frozenset()) -> str:
    """`url` if it is an absolute http(s) URL to an allowed host (any host when none are set)."""
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"a webhook URL has at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
    except ValueError as exc:
        raise ValueError(f"{url!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an absolute http or https URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "a webhook URL carries no credentials (the receiver needs no authentication)"
        )
    if allowed_hosts and parts.hostname.lower() not in allowed_hosts:
        raise ValueError(
            f"host {parts.hostname!r} is not an allowed webhook host ({', '.join(sorted(allowed_hosts))})"
        )
    return url


@dataclass(frozen=True)
class WebhookFaults:
    """Misbehaviour on purpose, to test a receiver's idempotency and ordering."""

    delay_seconds: int = 0
    """Events of calls accepted from now on are due this much after the call's final moment."""
    duplicates: int = 0
    """Extra copies sent right after each delivery attempt."""
    out_of_order: bool = False
    """Events that are due together are sent newest first."""

    def __post_init__(self) -> None:
        if not 0 <= self.delay_seconds <= MAX_DELAY_SECONDS:
            raise ValueError(f"delaySeconds must be between 0 and {MAX_DELAY_SECONDS}")
        if not 0 <= self.duplicates <= MAX_DUPLICATES:
            raise ValueError(f"duplicates must be between 0 and {MAX_DUPLICATES}")

    def to_json(self) -> dict[str, Any]:
        return {
            "delaySeconds": self.delay_seconds,
            "duplicates": self.duplicates,
            "outOfOrder": self.out_of_order,
        }

    def updated(self, changes: Mapping[str, Any]) -> WebhookFaults:
        """These faults with the fields given in `changes` (wire names) replaced."""
        return replace(
            self,
            delay_seconds=int(changes.get("delaySeconds", self.delay_seconds)),
            duplicates=int(changes.get("duplicates", self.duplicates)),
            out_of_order=bool(changes.get("outOfOrder", self.out_of_order)),
        )


@dataclass(frozen=True)
class WebhookConfig:
    """Everything that decides where an event goes and how its delivery is tried."""

    url: str | None = None
    """The default URL: for tokens without their own."""
    token_urls: Mapping[str, str] = field(default_factory=dict)
    """Token fingerprint -> URL."""
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    retries: int = DEFAULT_RETRIES
    """Attempts after the first failed one."""
    backoff_seconds: int = DEFAULT_BACKOFF_SECONDS
    """The first retry's wait; each further one waits twice as long."""
    negative_balance: bool = False
    """Send `balanceSubtracted` as the (negative) price instead of the amount taken (applies to
    events sent from then on: bodies are built at delivery)."""
    faults: WebhookFaults = field(default_factory=WebhookFaults)

    def __post_init__(self) -> None:
        if not (
            0 < self.timeout_seconds <= MAX_TIMEOUT_SECONDS and math.isfinite(self.timeout_seconds)
        ):
            raise ValueError(f"timeoutSeconds must be above 0 and at most {MAX_TIMEOUT_SECONDS}")
        if not 0 <= self.retries <= MAX_RETRIES:
            raise ValueError(f"retries must be between 0 and {MAX_RETRIES}")
        if not 0 <= self.backoff_seconds <= MAX_BACKOFF_SECONDS:
            raise ValueError(f"backoffSeconds must be between 0 and {MAX_BACKOFF_SECONDS}")
        if len(self.token_urls) > MAX_TOKEN_URLS:
            raise ValueError(f"at most {MAX_TOKEN_URLS} per-token URLs")

    @property
    def enabled(self) -> bool:
        """True when some URL is configured."""
        return self.url is not None or bool(self.token_urls)

    def urls(self) -> frozenset[str]:
        """Every URL configured: the default and the per-token ones."""
        return frozenset(filter(None, [self.url, *self.token_urls.values()]))

    def url_for(self, fingerprint: str | None) -> str | None:
        """The URL for a token's events: its own, else the default, else None."""
        if fingerprint is not None and fingerprint in self.token_urls:
            return self.token_urls[fingerprint]
        return self.url

    def backoff(self, failed_attempt: int) -> int:
        """Seconds from a failed attempt (1 = the first) to the next."""
        return min(self.backoff_seconds * 2 ** (failed_attempt - 1), MAX_BACKOFF_SECONDS)

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "tokenUrls": dict(sorted(self.token_urls.items())),
            "timeoutSeconds": self.timeout_seconds,
            "retries": self.retries,
            "backoffSeconds": self.backoff_seconds,
            "negativeBalance": self.negative_balance,
            "faults": self.faults.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WebhookConfig:
        """A configuration as `to_json` wrote it."""
        return cls().updated(data)

    def updated(
        self, changes: Mapping[str, Any], allowed_hosts: frozenset[str] = frozenset()
    ) -> WebhookConfig:
        """This configuration with the fields in `changes` (wire names) replaced.

        `tokens` maps a token to its URL (null forgets it); it is kept by
        fingerprint. `tokenUrls` (by fingerprint) replaces every per-token URL.
        Raises ValueError for a value out of range or a URL not allowed.
        """
        url = changes.get("url", self.url)
        token_urls = dict(changes.get("tokenUrls", self.token_urls))
        for token, token_url in changes.get("tokens", {}).items():
            if token_url is None:
                token_urls.pop(token_fingerprint(token), None)
            else:
                token_urls[token_fingerprint(token)] = token_url
        for checked in [url, *token_urls.values()]:
            if checked is not None:
                check_url(checked, allowed_hosts)
        return replace(
            self,
            url=url,
            token_urls=token_urls,
            timeout_seconds=float(changes.get("timeoutSeconds", self.timeout_seconds)),
            retries=int(changes.get("retries", self.retries)),
            backoff_seconds=int(changes.get("backoffSeconds", self.backoff_seconds)),
            negative_balance=bool(changes.get("negativeBalance", self.negative_balance)),
            faults=self.faults.updated(changes.get("faults", {})),
        )
