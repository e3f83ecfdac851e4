"""What the dashboard tests share: apps on a manual clock, the shipped files, the headers every
answer of the dashboard carries."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from flask import Flask

from bitel_mock.app import create_app
from bitel_mock.settings import Settings

START = 1_700_000_000
ADMIN_TOKEN = "dash-admin-token"
PAGE = "/__admin/ui/"
STATIC = PAGE + "static/"
PACKAGE_ROOT = Path(str(resources.files("bitel_mock.dashboard")))
ASSET_FOLDER = PACKAGE_ROOT / "static"
TEMPLATE = PACKAGE_ROOT / "templates" / "dashboard.html"
EXPECTED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def make_app(**settings: Any) -> Flask:
    return create_app(Settings(seed=3, clock="manual", start_time=START, **settings))


def shipped_files() -> list[Path]:
    return sorted(path for path in ASSET_FOLDER.iterdir() if path.is_file())


def csp_directives(header: str) -> dict[str, list[str]]:
    """`default-src 'self'; frame-ancestors 'none'` -> {"default-src": ["'self'"], ...}."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives
