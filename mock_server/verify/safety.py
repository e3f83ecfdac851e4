"""What keeps the `safe` profile from ever placing a call or costing money.

Every body sent by `safe` carries, wherever a phone number could be read,
only `UNDIALABLE`: a number no network can reach (too short for a mobile,
and a leading 0 rules out every short code such as 110 or 115). So even a
server that ignored the rule a probe is about would still find no number to
call. Generated cases are rewritten the same way before they are sent.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

UNDIALABLE = "0900000"
"""7 digits with the trunk prefix: not a mobile (11), not a local line (no leading 0), not a short code."""

BILLABLE_HOSTS = ("api.bitel.rest",)


def is_billable(base_url: str) -> bool:
    """True for the real service, where a placed call costs money."""
    host = (urlsplit(base_url).hostname or "").lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in BILLABLE_HOSTS)


def _looks_like_number_key(key: str) -> bool:
    # Servers may bind keys case-insensitively or with another naming policy.
    folded = "".join(ch for ch in key.lower() if ch.isalnum())
    return "phone" in folded or "number" in folded


def _has_digit(text: str) -> bool:
    # Broader than decimal digits: superscripts, Persian digits, anything with a numeric value.
    return any(ch.isnumeric() for ch in text)


def _undialable(value: Any) -> Any:
    """`value` with every scalar that a lenient server could dial replaced by UNDIALABLE."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return UNDIALABLE
    if isinstance(value, str):
        return UNDIALABLE if _has_digit(value) and value != UNDIALABLE else value
    if isinstance(value, list):
        return [_undialable(item) for item in value]
    if isinstance(value, dict):
        return {k: _undialable(v) for k, v in value.items()}
    return value


def make_undialable(body: Any) -> Any:
    """A copy of a JSON body in which no value under a number-like key can reach a phone."""
    if isinstance(body, list):
        return [make_undialable(item) for item in body]
    if not isinstance(body, dict):
        return body
    return {
        key: _undialable(value) if _looks_like_number_key(str(key)) else make_undialable(value)
        for key, value in body.items()
    }


def make_raw_undialable(raw: bytes | str) -> tuple[Any, bool]:
    """(body, is_json): a raw body that parses as JSON is returned parsed and made undialable."""
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return raw, False
    return make_undialable(parsed), True
