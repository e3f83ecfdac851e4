"""Shared bits of the toolkit's tests."""

from __future__ import annotations

SINGLE = "/api/v2/voice/single"
BATCH = "/api/v2/voice/batch"
NUMBER = "09121234567"
VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"
SINGLE_BODY = {"phoneNumber": NUMBER, "voiceId": VOICE_ID}
TOKEN = "sk-live-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
