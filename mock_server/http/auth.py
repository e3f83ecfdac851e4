"""The bearer-token check of the emulated API (`Authorization: Bearer <token>`)."""

from __future__ import annotations

from bitel_mock.errors import Unauthorized


def bearer_token(header: str | None) -> str | None:
    """The token in an Authorization header; the scheme is matched case-insensitively."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


class TokenCheck:
    """Accepts the configured tokens, or any non-empty token when none are configured."""

    def __init__(self, tokens: frozenset[str]) -> None:
        self.tokens = tokens

    def require(self, header: str | None) -> str:
        """The accepted token, or Unauthorized."""
        token = bearer_token(header)
        if token is None:
            raise Unauthorized("no bearer token")
        if self.tokens and token not in self.tokens:
            raise Unauthorized("the token is not accepted")
        return token
