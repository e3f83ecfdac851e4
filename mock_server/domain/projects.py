"""Projects: a bearer token's fingerprint names the project its calls and messages belong to.

A record placed with one token is not found by another (as for an unknown id),
unless the emulator shares projects. Records kept without an owner (placed
through the domain directly, never through the API) belong to every project.
"""

from __future__ import annotations

from bitel_mock.tokens import FINGERPRINT_HEX_DIGITS


def visible_to(owner: str | None, viewer: str | None) -> bool:
    """Whether a record owned by `owner` is found by a request of project `viewer` (None: a
    viewer that sees every project)."""
    return viewer is None or owner is None or owner == viewer


def in_project(owner: str | None, project: str | None) -> bool:
    """Whether a record belongs to `project` as the control plane filters (None: any record)."""
    return project is None or owner == project


def is_project(text: str) -> bool:
    """Whether `text` is written as a project is named: a token's fingerprint (lowercase hex)."""
    return len(text) == FINGERPRINT_HEX_DIGITS and all(c in _HEX for c in text)


_HEX = frozenset("0123456789abcdef")
