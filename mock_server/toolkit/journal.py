"""The request journal: what the emulated API received and answered, newest first.

Entries are plain dicts kept by the store (bounded by `journal_size`). A
bearer token is never kept whole: only its first characters and `…`, and its
fingerprint as the entry's `project`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bitel_mock import strictjson
from bitel_mock.domain.model import CallBatch
from bitel_mock.domain.projects import is_project
from bitel_mock.store.journal_filter import JournalFilter
from bitel_mock.tokens import mask_authorization, mask_token
from bitel_mock.toolkit.definitions import (
    DefinitionError,
    optional_int,
    optional_str,
    reject_unknown,
    require_object,
)
from bitel_mock.toolkit.storage import JournalStore

MAX_BODY_TEXT = 4096
"""A body not kept as JSON is kept as text, up to this many characters."""
MAX_KEPT_JSON_BYTES = 16 * 1024
"""A JSON body up to this size is kept parsed; a larger one as text, cut (`bodyTruncated`)."""
MAX_JSON_BODY_BYTES = 256 * 1024
"""A JSON body up to this size is parsed for the numbers it names (faults and limits use them);
a larger one is not parsed at all."""
MAX_KEPT_NUMBERS = 100
"""An entry's `phoneNumbers` keeps this many of the body's numbers (a batch's most)..."""
MAX_NUMBER_CHARS = 64
"""...each cut to this many characters."""
MAX_STORED_INTEGER = 2**53 - 1
_INTEGER = re.compile(r"-?[0-9]+")
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


@dataclass(frozen=True)
class ReceivedBody:
    """A request body as the toolkit sees it: the numbers it names, and what an entry keeps."""

    numbers: list[str]
    """Every number the body names, as sent (faults and the WAITING cap match on them)."""
    fields: dict[str, Any]
    """The entry's `body` (parsed JSON) or `bodyText`, `bodySize` (bytes received),
    `bodyTruncated` (the entry holds less than the body) and `phoneNumbers` (bounded)."""


NO_BODY = ReceivedBody(
    [], {"body": None, "bodyText": None, "bodySize": 0, "bodyTruncated": False, "phoneNumbers": []}
)


def unread_body(declared_size: int | None) -> ReceivedBody:
    """The entry of a body that was refused unread (over the size limit, or unreadable)."""
    fields = {**NO_BODY.fields, "bodySize": declared_size, "bodyTruncated": True}
    return ReceivedBody([], fields)


def _json_or_none(raw: bytes) -> Any:
    try:
        return strictjson.loads(raw)
    except ValueError:
        return None


def _text(raw: bytes) -> tuple[str, bool]:
    """The body's first MAX_BODY_TEXT characters (undecodable bytes replaced), and whether
    that is less than the whole body."""
    head = raw[: MAX_BODY_TEXT * 4].decode("utf-8", errors="replace")
    return head[:MAX_BODY_TEXT], len(raw) > MAX_BODY_TEXT * 4 or len(head) > MAX_BODY_TEXT


def received_body(raw: bytes, parse: Callable[[bytes], Any] | None = None) -> ReceivedBody:
    """What the journal keeps of a body: JSON up to MAX_KEPT_JSON_BYTES parsed, anything else
    as bounded text; numbers bounded in count and length. `parse` turns bytes into a document
    or None (not JSON), if the caller keeps what it parsed; a body over MAX_JSON_BODY_BYTES is
    not parsed at all."""
    if not raw:
        return NO_BODY
    document = None if len(raw) > MAX_JSON_BODY_BYTES else (parse or _json_or_none)(raw)
    numbers = phone_numbers_of(document)
    kept_numbers = [number[:MAX_NUMBER_CHARS] for number in numbers[:MAX_KEPT_NUMBERS]]
    if document is not None and len(raw) <= MAX_KEPT_JSON_BYTES:
        body, text, truncated = document, None, False
    else:
        body, (text, truncated) = None, _text(raw)
    fields = {
        "body": body,
        "bodyText": text,
        "bodySize": len(raw),
        "bodyTruncated": truncated,
        "phoneNumbers": kept_numbers,
    }
    return ReceivedBody(numbers, fields)


def phone_numbers_of(body: Any) -> list[str]:
    """The numbers a request body names (`phoneNumber`, `phoneNumbers`), as sent."""
    if not isinstance(body, Mapping):
        return []
    numbers: list[str] = []
    if isinstance(body.get("phoneNumber"), str):
        numbers.append(body["phoneNumber"])
    if isinstance(body.get("phoneNumbers"), list):
        numbers.extend([n for n in body["phoneNumbers"] if isinstance(n, str)])
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


_MATCHER_FIELDS = ("method", "path", "status", "error", "phoneNumber", "project", "bodyContains")


def _integer(field: str, text: str) -> int:
    """ASCII digits with an optional minus sign (`int()` also takes `+5`, `5_0` and other
    scripts' digits); more than 20 digits are out of every range here."""
    if not _INTEGER.fullmatch(text):
        raise DefinitionError(field, "must be an integer")
    if len(text.lstrip("-").lstrip("0")) > 20:
        raise DefinitionError(field, "is out of range")
    return int(text)


def _project(data: Mapping[str, Any]) -> str | None:
    """The `project` a matcher names: a token's fingerprint, never the token."""
    project = optional_str(data, "project")
    if project is not None and not is_project(project):
        raise DefinitionError("project", "must be a token's fingerprint (16 lowercase hex digits)")
    return project


@dataclass(frozen=True)
class RequestMatcher:
    """Which journal entries to select; every field set must match."""

    method: str | None = None
    path: str | None = None
    status: int | None = None
    error: str | None = None
    phone_number: str | None = None
    project: str | None = None
    """The fingerprint of the request's bearer token (`bitel_mock.tokens.token_fingerprint`)."""
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
            project=_project(data),
            body_contains=data.get("bodyContains"),
            has_body_contains="bodyContains" in data,
        )

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> RequestMatcher:
        """From query parameters (strings): `status` must be an integer."""
        data: dict[str, Any] = {k: args[k] for k in _MATCHER_FIELDS[:-1] if k in args}
        if "status" in data:
            data["status"] = _integer("status", data["status"])
        return cls.from_json(data, allow_body=False)

    @property
    def where(self) -> JournalFilter:
        """The part of the matcher a store applies itself (all but `bodyContains`)."""
        return JournalFilter(
            self.method, self.path, self.status, self.error, self.phone_number, self.project
        )

    def matches(self, entry: Mapping[str, Any]) -> bool:
        return self.where.matches(entry) and (
            not self.has_body_contains or contains(entry.get("body"), self.body_contains)
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
        value = _integer(name, args[name])
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

    def __init__(self, store: JournalStore, size: int) -> None:
        self.store = store
        self.size = size

    def record(self, entry: dict[str, Any]) -> None:
        if self.size > 0:
            self.store.append_journal(entry, self.size)

    def kept_with_calls(self, entry: dict[str, Any]) -> EntryWithCalls:
        """A keeper (for `CallService.place`) that keeps `entry`, already finished, with the
        calls of its request, in the write that numbers them."""
        return EntryWithCalls(self, entry)

    def clear(self) -> None:
        self.store.clear_journal()

    def select(self, matcher: RequestMatcher) -> list[dict[str, Any]]:
        """Matching entries, newest first (only those the store's filters leave are decoded)."""
        _, candidates = self.store.journal_page(matcher.where, limit=self._most())
        return [entry for entry in candidates if matcher.matches(entry)]

    def count(self, matcher: RequestMatcher) -> int:
        if not matcher.has_body_contains:
            return self.store.journal_page(matcher.where, limit=0)[0]
        return len(self.select(matcher))

    def page(self, args: Mapping[str, str]) -> Page:
        """One page of the matching entries: `limit` and `offset`, or `limit` and a `cursor`
        (the `nextCursor` of the previous page: entries older than it). Only the page's
        entries are read from the store and decoded."""
        limit, offset, cursor = _paging(args)
        where = RequestMatcher.from_query(args).where
        total, entries = self.store.journal_page(where, limit=limit + 1, offset=offset, before=cursor)
        more = len(entries) > limit
        entries = entries[:limit]
        next_cursor = str(entries[-1]["seq"]) if more and entries else None
        return Page(entries, total, next_cursor)

    def _most(self) -> int:
        """Every entry the journal can hold, as a page size a store can bind."""
        return min(max(self.size, 0), MAX_STORED_INTEGER)


class EntryWithCalls:
    """Numbers and keeps a request's calls with its journal entry (`kept` once it did): the
    entry names the calls by their ids. Calls numbered apart (before they are planned) are
    kept without it, and their entry is recorded as any other."""

    def __init__(self, journal: Journal, entry: dict[str, Any]) -> None:
        self.journal = journal
        self.entry = entry
        self.kept = False

    def __call__(self, batch: CallBatch) -> int:
        first = self.journal.store.add_batch_with_entry(batch, self.entry, self.journal.size)
        self.kept = True
        return first
