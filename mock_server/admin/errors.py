"""Errors of the control plane, answered as `{"error": CODE, "message": TEXT}`."""

from __future__ import annotations


class AdminError(Exception):
    """A 4xx of the control plane, with a code and a human-readable message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
