"""The emulator behind the Flask app that is handling the current request."""

from __future__ import annotations

from flask import current_app

from bitel_mock.emulator import EXTENSION_KEY, Emulator


def emulator() -> Emulator:
    """The emulator of the current app (both planes' routes read it here)."""
    return current_app.extensions[EXTENSION_KEY]
