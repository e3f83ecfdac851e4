"""The `project` query parameter of the control plane's listings: a token's fingerprint."""

from __future__ import annotations

from flask import request

from bitel_mock.domain.projects import is_project
from bitel_mock.errors import AdminError
from bitel_mock.tokens import FINGERPRINT_HEX_DIGITS

PROJECT_PARAMETER = "project"


def project_arg() -> str | None:
    """The `project` query parameter, or None when absent; a 400 unless it is a fingerprint
    (never a token: the control plane is asked by fingerprint only)."""
    raw = request.args.get(PROJECT_PARAMETER)
    if raw is None:
        return None
    if not is_project(raw):
        raise AdminError(
            "InvalidRequest",
            f"project must be a token's fingerprint: {FINGERPRINT_HEX_DIGITS} lowercase hex digits",
        )
    return raw
