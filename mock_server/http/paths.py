"""Which paths belong to the control plane rather than the emulated API (no Flask here)."""

from __future__ import annotations

ADMIN_PREFIX = "/__admin"


def is_admin_path(path: str) -> bool:
    """Whether `path` belongs to the control plane rather than the emulated API."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")
