"""Shared bits of the toolkit's tests; its `bitel_mock` fixtures use the plugin's own defaults."""

from __future__ import annotations

import pytest

from bitel_mock.pytest_plugin import default_settings
from bitel_mock.settings import Settings

SINGLE = "/api/v2/voice/single"
BATCH = "/api/v2/voice/batch"
NUMBER = "09121234567"
VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"
SINGLE_BODY = {"phoneNumber": NUMBER, "voiceId": VOICE_ID}
TOKEN = "sk-live-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def bitel_mock_settings() -> Settings:
    """What a user of the plugin gets: seeded, on a manual clock once the emulator has one."""
    return default_settings()
