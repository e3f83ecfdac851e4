"""The files the page loads (scripts, styles, icon), read once from the package."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

ASSET_PACKAGE = "bitel_mock.dashboard"
ASSET_FOLDER = "static"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
"""Every kind of file shipped; a file of any other kind is not served."""


@dataclass(frozen=True, slots=True)
class Asset:
    name: str
    content_type: str
    data: bytes


def _content_type(name: str) -> str | None:
    dot = name.rfind(".")
    return None if dot < 0 else CONTENT_TYPES.get(name[dot:])


@functools.cache
def shipped_assets() -> dict[str, Asset]:
    """Every servable file of the static folder, by name (a flat folder: no path is served)."""
    folder = resources.files(ASSET_PACKAGE).joinpath(ASSET_FOLDER)
    found: dict[str, Asset] = {}
    for entry in folder.iterdir():
        content_type = _content_type(entry.name)
        if entry.is_file() and content_type is not None:
            found[entry.name] = Asset(entry.name, content_type, entry.read_bytes())
    return found
