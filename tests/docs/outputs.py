"""Comparing what a block printed with the `json` or `text` block that shows it.

JSON is compared value by value, except what the emulator cannot repeat from one run to
the next: an id (16 or 32 lower-case hex digits) matches any such id, a Unix time (an integer of at least 10^9)
any such integer, and a measured duration (`latencyMs`) any number. Text is compared line
by line after masking the same things (ids, Unix times, ISO dates and times, and
pytest's "in 0.12s").
"""

from __future__ import annotations

import json
import re
from typing import Any

HEX_ID = re.compile(r"[0-9a-f]{16}|[0-9a-f]{32}")
UNIX_TIME_FLOOR = 1_000_000_000
MEASURED_KEYS = frozenset({"latencyMs"})

_TEXT_MASKS = (
    (re.compile(r"\b(?:[0-9a-f]{32}|[0-9a-f]{16})\b"), "<id>"),
    (re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?"), "<datetime>"),
    (re.compile(r"\b1\d{9}\b"), "<unix time>"),
    (re.compile(r"\bin \d+\.\d+s\b"), "in <seconds>"),
)


def json_values(text: str) -> list[Any]:
    """Every JSON value in `text`, one after another (curl prints no newline between them)."""
    decoder = json.JSONDecoder()
    values, index = [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index == len(text):
            return values
        value, index = decoder.raw_decode(text, index)
        values.append(value)


def json_differences(shown: Any, printed: Any, where: str = "$") -> list[str]:
    """Where `printed` departs from `shown` (empty: it matches)."""
    if isinstance(shown, str) and HEX_ID.fullmatch(shown):
        ok = isinstance(printed, str) and HEX_ID.fullmatch(printed) is not None
        return [] if ok else [f"{where}: an id was shown, {printed!r} printed"]
    if type(shown) is int and shown >= UNIX_TIME_FLOOR:
        ok = type(printed) is int and printed >= UNIX_TIME_FLOOR
        return [] if ok else [f"{where}: a Unix time was shown, {printed!r} printed"]
    if type(shown) is not type(printed):
        return [f"{where}: {shown!r} shown, {printed!r} printed"]
    if isinstance(shown, dict):
        if shown.keys() != printed.keys():
            return [f"{where}: keys {sorted(shown)} shown, {sorted(printed)} printed"]
        found = []
        for key, value in shown.items():
            if key in MEASURED_KEYS and isinstance(printed[key], int | float):
                continue
            found += json_differences(value, printed[key], f"{where}.{key}")
        return found
    if isinstance(shown, list):
        if len(shown) != len(printed):
            return [f"{where}: {len(shown)} items shown, {len(printed)} printed"]
        found = []
        for index, (a, b) in enumerate(zip(shown, printed, strict=True)):
            found += json_differences(a, b, f"{where}[{index}]")
        return found
    return [] if shown == printed else [f"{where}: {shown!r} shown, {printed!r} printed"]


def compare_json(shown_text: str, printed_text: str) -> list[str]:
    shown = json_values(shown_text)
    try:
        printed = json_values(printed_text)
    except ValueError as exc:
        return [f"the block printed something that is not JSON ({exc}): {printed_text[:500]!r}"]
    if len(shown) != len(printed):
        return [f"{len(shown)} JSON values shown, {len(printed)} printed: {printed_text[:2000]}"]
    found = []
    for index, (a, b) in enumerate(zip(shown, printed, strict=True)):
        found += json_differences(a, b, f"value {index + 1}")
    return found


def masked(text: str) -> list[str]:
    for pattern, mask in _TEXT_MASKS:
        text = pattern.sub(mask, text)
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def compare_text(shown_text: str, printed_text: str) -> list[str]:
    shown, printed = masked(shown_text), masked(printed_text)
    if shown == printed:
        return []
    return ["printed:\n" + printed_text + "\nshown (after masking):\n" + "\n".join(shown)]


def compare(language: str, shown_text: str, printed_text: str) -> list[str]:
    return (
        compare_json(shown_text, printed_text)
        if language == "json"
        else compare_text(shown_text, printed_text)
    )
