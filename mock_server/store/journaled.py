"""A request's calls, then its journal entry: for a store whose one write cannot keep both.

`add_batch_with_entry` keeps the calls a placing request numbered and the
request's journal entry. The SQLite store does it in one transaction; the
memory and Redis stores (and SQLite when that transaction failed, for a
journal of limit 0 or an empty batch) keep the calls, then append the entry
with their ids. The journal fails open there as everywhere: calls kept are
answered 200 even when their entry could not be appended.
"""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from bitel_mock.domain.model import CallBatch, PlacedCalls
from bitel_mock.store.errors import StoreUnavailable


class _CallsAndJournal(Protocol):
    def add_batch(self, batch: CallBatch) -> int: ...

    def append_journal(self, entry: dict[str, Any], limit: int) -> int: ...


def batch_then_entry(
    store: _CallsAndJournal, batch: CallBatch, entry: dict[str, Any], limit: int
) -> int:
    """Keep the calls (`add_batch`), then append `entry` naming them (`callIds`) unless the
    journal keeps nothing (`limit` 0); the first call's number."""
    first = store.add_batch(batch)
    if limit > 0:
        with contextlib.suppress(StoreUnavailable):
            store.append_journal({**entry, "callIds": PlacedCalls(batch, first).ids}, limit)
    return first
