"""What the testing toolkit needs of a store: the request journal, faults, and the rate
limiter's buckets, configuration and owned calls.

Values are plain JSON-able dicts, so every store can hold them; every method
is atomic on its own. Fault definitions and the run-time rate limit are part
of the control plane: changing them moves the generation (using a fault does
not, unless it removes it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bitel_mock.domain.model import CallBatch
from bitel_mock.store.journal_filter import JournalFilter


class JournalStore(Protocol):
    """The request journal: bounded, numbered, newest first."""

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        """Keep `entry` under a new, increasing sequence number (set as `entry["seq"]`),
        dropping the oldest entries beyond `limit`; return the number."""
        ...

    def add_batch_with_entry(self, batch: CallBatch, entry: dict[str, Any], limit: int) -> int:
        """Number and keep a placing request's calls (as `add_batch`) and append its `entry`,
        whose `callIds` are then theirs, in one write where the store can (else the entry
        after the calls, failing open); return the first call's number."""
        ...

    def journal_entries(self) -> list[dict[str, Any]]:
        """Every kept journal entry, newest first (read-only: callers must not change them)."""
        ...

    def journal_page(
        self, where: JournalFilter, *, limit: int, offset: int = 0, before: int | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        """How many kept entries match `where`, and up to `limit` of them, newest first: past the
        first `offset`, and (with `before`) only those whose `seq` is below it. Only the entries
        returned are decoded."""
        ...

    def clear_journal(self) -> None:
        """Forget every journal entry (sequence numbers keep increasing)."""
        ...


class FaultStore(Protocol):
    """Installed faults, with how often each matched and how many uses remain."""

    def add_fault(self, fault: dict[str, Any]) -> dict[str, Any]:
        """Keep a fault definition under a new id (set as `fault["id"]`); return it."""
        ...

    def list_faults(self) -> list[dict[str, Any]]:
        """Every installed fault, oldest first, with its current `remaining` and `hits`."""
        ...

    def remove_fault(self, fault_id: str) -> bool:
        """Remove one fault; False when no fault has that id."""
        ...

    def clear_faults(self) -> None:
        """Remove every fault."""
        ...

    def hit_fault(self, fault_id: str) -> int | None:
        """Count one matching request against the fault; its new hit count, or None if gone."""
        ...

    def consume_fault(self, fault_id: str) -> bool:
        """Use the fault once: decrement `remaining` (None is unlimited), removing it
        when it reaches 0. False when it was gone or used up, so it must not fire."""
        ...


class BucketStore(Protocol):
    """Rate limiting: token buckets, the run-time configuration, the calls each token placed."""

    def take_token(self, key: str, rate: float, burst: int, now: float) -> float:
        """Token bucket `key` (refilled at `rate` per second up to `burst`): take one
        token; 0.0 when taken, else the seconds until one is available."""
        ...

    def rate_limit(self) -> dict[str, Any] | None:
        """The rate-limit configuration set at run time, or None (then the settings' own)."""
        ...

    def set_rate_limit(self, config: dict[str, Any] | None) -> None:
        """Replace the run-time rate-limit configuration; None falls back to the settings."""
        ...

    def add_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        """Remember that the token `key` placed these calls."""
        ...

    def owned_calls(self, key: str) -> list[str]:
        """The ids of calls placed by token `key` that were not dropped."""
        ...

    def drop_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        """Forget these calls of token `key` (e.g. once they are final)."""
        ...


class ToolkitStore(JournalStore, FaultStore, BucketStore, Protocol):
    """Everything the toolkit keeps in a store."""

    def generation(self) -> int | None:
        """The control plane's generation (see `domain.storage.ScenarioStore.generation`)."""
        ...

    def close(self) -> None:
        """Release what this process holds of the store (connections)."""
        ...
