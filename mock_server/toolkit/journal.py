"""The request journal: what the emulated API received and answered, newest first.

Entries are plain dicts kept by the store (bounded by `journal_size`). A
bearer token is never kept whole: only its first characters and `…`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bitel_mock.store.base import Store
from bitel_mock.tokens import mask_authorization, mask_token
from bitel_mock.toolkit.definitions import (
    DefinitionError,
    optional_int,
    optional_str,
    reject_unknown,
    require_object,
)

MAX_BODY_TEXT = 4096
"""A body that is not JSON is kept as text up to this many characters."""
MAX_JSON_BODY_BYTES = 256 * 1024
"""A JSON body larger than this is kept as (truncated) text, not parsed."""
DEFAULT_PAGE = 100
MAX_PAGE = 1000
SENSITIVE_HEADERS = frozenset({"authorization", "x-admin-token", "cookie"})


def masked_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Request headers with every credential masked."""
    kept: dict[str, str] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered == "authorization":
            kept[name] = mask_authorization(value)
        elif lowered in SENSITIVE_HEADERS:
            kept[name] = mask_token(value)
        else:
            kept[name] = value
    return kept


def parsed_body(raw: bytes) -> tuple[Any, str | None]:
    """(the body parsed as JSON, None), or (None, its text, bounded) when it is not JSON."""
    if not raw:
        return None, None
    if len(raw) <= MAX_JSON_BODY_BYTES:
        try:
            return json.loads(raw.decode("utf-8")), None
        except (UnicodeDecodeError, ValueError, RecursionError):
            pass
    return None, raw[:MAX_BODY_TEXT].decode("utf-8", errors="replace")


def phone_numbers_of(body: Any) -> list[str]:
    """The numbers a request body names (`phoneNumber`, `phoneNumbers`), as sent."""
    if not isinstance(body, Mapping):
        return []
    numbers: list[str] = []
    if isinstance(body.get("phoneNumber"), str):
        numbers.append(body["phoneNumber"])
    if isinstance(body.get("phoneNumbers"), list):
        numbers.extend(n for n in body["phoneNumbers"] if isinstance(n, str))
    return numbers


def contains(actual: Any, expected: Any) -> bool:
    """JSON subset match: every key of an expected object is in the actual one and matches;
    every item of an expected array matches some item of the actual array; else equality."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and all(
            any(contains(item, wanted) for item in actual) for wanted in expected
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    return expected == actual


_MATCHER_FIELDS = ("method", "path", "status", "error", "phoneNumber", "bodyContains")


@dataclass(frozen=True)
class RequestMatcher:
    """Which journal entries to select; every field set must match."""

    method: str | None = None
    path: str | None = None
    status: int | None = None
    error: str | None = None
    phone_number: str | None = None
    body_contains: Any = None
    has_body_contains: bool = False

    @classmethod
    def from_json(cls, data: Any, *, allow_body: bool = True) -> RequestMatcher:
        data = require_object(data)
        reject_unknown(data, _MATCHER_FIELDS if allow_body else _MATCHER_FIELDS[:-1])
        method = optional_str(data, "method")
        return cls(
            method=method.upper() if method else None,
            path=optional_str(data, "path"),
            status=optional_int(data, "status", 100, 599),
            error=optional_str(data, "error"),
            phone_number=optional_str(data, "phoneNumber"),
            body_contains=data.get("bodyContains"),
            has_body_contains="bodyContains" in data,
        )

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> RequestMatcher:
        """From query parameters (strings): `status` must be an integer."""
        data: dict[str, Any] = {k: args[k] for k in _MATCHER_FIELDS[:-1] if k in args}
        if "status" in data:
            try:
                data["status"] = int(data["status"])
            except ValueError:
                raise DefinitionError("status", "must be an integer") from None
        return cls.from_json(data, allow_body=False)

    def matches(self, entry: Mapping[str, Any]) -> bool:
        return (
            (self.method is None or entry["method"] == self.method)
            and (self.path is None or entry["path"] == self.path)
            and (self.status is None or entry["status"] == self.status)
            and (self.error is None or entry["error"] == self.error)
            and (self.phone_number is None or self.phone_number in entry["phoneNumbers"])
            and (not self.has_body_contains or contains(entry["body"], self.body_contains))
        )


@dataclass(frozen=True)
class Page:
    entries: list[dict[str, Any]]
    total: int
    next_cursor: str | None

    def to_json(self) -> dict[str, Any]:
        return {"requests": self.entries, "total": self.total, "nextCursor": self.next_cursor}


def _paging(args: Mapping[str, str]) -> tuple[int, int, int | None]:
    def integer(name: str, default: int, low: int, high: int) -> int:
        if name not in args:
            return default
        try:
            value = int(args[name])
        except ValueError:
            raise DefinitionError(name, "must be an integer") from None
        if not low <= value <= high:
            raise DefinitionError(name, f"must be {low} to {high}")
        return value

    limit = integer("limit", DEFAULT_PAGE, 1, MAX_PAGE)
    offset = integer("offset", 0, 0, 10**9)
    cursor = integer("cursor", 0, 1, 10**18) if "cursor" in args else None
    if cursor is not None and "offset" in args:
        raise DefinitionError("cursor", "cannot be combined with offset")
    return limit, offset, cursor


class Journal:
    """Records requests into the store and answers queries over them."""

    def __init__(self, store: Store, size: int) -> None:
        self.store = store
        self.size = size

    def record(self, entry: dict[str, Any]) -> None:
        if self.size > 0:
            self.store.append_journal(entry, self.size)

    def clear(self) -> None:
        self.store.clear_journal()

    def select(self, matcher: RequestMatcher) -> list[dict[str, Any]]:
        """Matching entries, newest first."""
        return [entry for entry in self.store.journal_entries() if matcher.matches(entry)]

    def count(self, matcher: RequestMatcher) -> int:
        return len(self.select(matcher))

    def page(self, args: Mapping[str, str]) -> Page:
        """One page of the matching entries: `limit` and `offset`, or `limit` and a `cursor`
        (the `nextCursor` of the previous page: entries older than it)."""
        limit, offset, cursor = _paging(args)
        selected = self.select(RequestMatcher.from_query(args))
        total = len(selected)
        if cursor is not None:
            selected = [entry for entry in selected if entry["seq"] < cursor]
            offset = 0
        entries = selected[offset : offset + limit]
        more = len(selected) > offset + limit
        next_cursor = str(entries[-1]["seq"]) if more and entries else None
        return Page(entries, total, next_cursor)
