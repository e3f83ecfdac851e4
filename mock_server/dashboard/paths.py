"""Where the dashboard lives, and which paths are its own (served without the admin token)."""

from __future__ import annotations

from bitel_mock.http.paths import ADMIN_PREFIX

PAGE_PATH = ADMIN_PREFIX + "/ui"
"""Without the final slash: redirected to `PAGE_URL`."""
PAGE_URL = PAGE_PATH + "/"
ASSET_PREFIX = PAGE_URL + "static/"


def is_page_path(path: str) -> bool:
    """The page, its redirect and its assets: nothing under them holds data."""
    return path == PAGE_PATH or path.startswith(PAGE_URL)
