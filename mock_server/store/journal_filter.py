"""Which request-journal entries a page holds: the filters every store applies itself.

The fields are those an entry has at its top level, so a store can select
entries without decoding them (SQLite in SQL, Redis over a small index, the
memory store over its dicts). Matching a body (`bodyContains`) is the
journal's own business, over the entries these filters leave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

INDEXED_FIELDS = ("seq", "method", "path", "status", "error", "project", "phoneNumbers")
"""The fields of an entry a filter reads (a store may keep just these as an index)."""


@dataclass(frozen=True)
class JournalFilter:
    """Entries whose fields equal every value set; `phone_number`: one of `phoneNumbers`."""

    method: str | None = None
    path: str | None = None
    status: int | None = None
    error: str | None = None
    phone_number: str | None = None
    project: str | None = None
    """The fingerprint of the request's bearer token."""

    def equalities(self) -> dict[str, Any]:
        """The fields that must equal a value, by entry field name (`phone_number` aside)."""
        wanted = {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "project": self.project,
        }
        return {field: value for field, value in wanted.items() if value is not None}

    def is_everything(self) -> bool:
        return not self.equalities() and self.phone_number is None

    def matches(self, entry: Mapping[str, Any]) -> bool:
        if any(entry.get(field) != value for field, value in self.equalities().items()):
            return False
        if self.phone_number is None:
            return True
        numbers = entry.get("phoneNumbers")
        return isinstance(numbers, list) and self.phone_number in numbers


EVERYTHING = JournalFilter()


def index_of(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an entry a filter reads."""
    return {field: entry.get(field) for field in INDEXED_FIELDS}
