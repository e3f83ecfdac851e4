"""How many parts a text takes, and what they cost (GSM 03.38; docs/fidelity.md).

A text whose every character is in the GSM 7-bit default alphabet or its
extension table is sent in septets: a character of the basic set takes one,
one of the extension table (`^{}\\[~]|€` and form feed) two, as it goes
behind an escape. Up to 160 septets fit one part; a longer text is split
into parts of 153 (seven septets carry the header that joins the parts).

Any other character (Persian, Arabic, emoji, ...) makes the whole text
UCS-2: 70 UTF-16 code units fit one part, 67 per part when split.
"""

from __future__ import annotations

import math

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The GSM 03.38 default alphabet (the escape itself, 0x1B, is no character one can send)."""
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
"""The extension table: each takes two septets."""

GSM_SINGLE_SEPTETS = 160
GSM_PART_SEPTETS = 153
UCS2_SINGLE_UNITS = 70
UCS2_PART_UNITS = 67


def gsm_septets(text: str) -> int | None:
    """The septets `text` takes in the GSM 7-bit alphabet, or None if it needs UCS-2."""
    septets = 0
    for character in text:
        if character in GSM_BASIC:
            septets += 1
        elif character in GSM_EXTENSION:
            septets += 2
        else:
            return None
    return septets


def utf16_units(text: str) -> int:
    """UTF-16 code units: one per character, two for one beyond the Basic Multilingual Plane."""
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


def _parts(size: int, alone: int, per_part: int) -> int:
    return 1 if size <= alone else math.ceil(size / per_part)


def part_count(text: str) -> int:
    """The parts `text` is sent in (at least 1; the API refuses an empty text before)."""
    septets = gsm_septets(text)
    if septets is not None:
        return _parts(septets, GSM_SINGLE_SEPTETS, GSM_PART_SEPTETS)
    return _parts(utf16_units(text), UCS2_SINGLE_UNITS, UCS2_PART_UNITS)


def price_of(parts: int, tariff: float) -> float:
    """What `parts` parts cost once charged: negative Toman, rounded to 2 places (never -0.0)."""
    price = -round(parts * tariff, 2)
    return price if price != 0 else 0.0
