"""Bearer tokens: reading one from a header, checking it, masking it, and naming it safely.

The emulator never keeps a token whole. What it shows (the journal, fault
listings) is a masked token: its first characters and `…`. What it keys
state by (rate-limit buckets, fault matchers, per-token webhook URLs, calls'
`tokenFingerprint`) is the token's fingerprint: a sha256 hex prefix, stable
across processes and releases, that does not reveal the token.
"""

from __future__ import annotations

import functools
import hashlib

from bitel_mock.errors import Unauthorized

MASK_KEEPS = 4
"""A masked token shows this many of its first characters at most, and never more than half of
its characters: `sk-live-0123` is masked `sk-l…`, `abc` is `a…`, a one-character token is `…`."""
MASK_MARK = "…"
FINGERPRINT_HEX_DIGITS = 16
"""A fingerprint is this many hex digits of the token's sha256 (64 bits)."""


def bearer_token(header: str | None) -> str | None:
    """The token in an Authorization header; the scheme is matched case-insensitively."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def mask_token(token: str) -> str:
    """The first characters of a token and `…`: enough to tell tokens apart, never the token
    (nor most of a short one)."""
    return token[: min(MASK_KEEPS, len(token) // 2)] + MASK_MARK


def mask_authorization(value: str) -> str:
    """An Authorization header with its credential masked (the scheme is kept)."""
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if not token:
        return mask_token(scheme)
    return f"{scheme} {mask_token(token)}"


@functools.lru_cache(maxsize=1024)  # asked twice per request, nearly always for a few tokens
def token_fingerprint(token: str) -> str:
    """A short, stable name for a token that does not reveal it: a sha256 hex prefix."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:FINGERPRINT_HEX_DIGITS]


class TokenCheck:
    """Accepts the configured tokens, or any non-empty token when none are configured."""

    def __init__(self, tokens: frozenset[str]) -> None:
        self.tokens = tokens

    def require(self, header: str | None) -> str:
        """The accepted token in an Authorization header, or Unauthorized."""
        token = bearer_token(header)
        if token is None:
            raise Unauthorized("no bearer token")
        if self.tokens and token not in self.tokens:
            raise Unauthorized("the token is not accepted")
        return token
