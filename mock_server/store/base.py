"""The one interface every store implements; the domain knows nothing else.

Method groups: call numbering and ids, calls, the shared clock, scenario
rules, webhooks (configuration, pending events and their claims, the
deliveries journal), and reset. Every method is atomic on its own, so several workers can
share one store.

A method that cannot reach or write its state (a Redis down or frozen, a
full disk, a lock held too long) raises `StoreUnavailable` and keeps
nothing; a store whose state is no longer the one it opened (it came back
empty, was replaced, went back in time) raises `StoreReplaced` when asked
to number or find calls, from then on (see `store/identity.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bitel_mock.domain.model import Call
from bitel_mock.domain.outcomes import ScenarioRule
from bitel_mock.store.journal_filter import JournalFilter
from bitel_mock.store.sms_base import SmsStore
from bitel_mock.webhooks.model import Delivery, PendingEvent

MAX_DELIVERIES = 10_000
"""The deliveries journal keeps this many attempts; older ones are forgotten."""


class Store(SmsStore, Protocol):
    """The emulator's state (SMS messages and templates: `SmsStore`)."""

    # Numbering and ids

    def allocate_sequence(self, count: int) -> int:
        """Reserve `count` consecutive call numbers; return the first. Never a number this
        store handed out before: `StoreReplaced` rather than that."""
        ...

    def id_key(self) -> int:
        """A random 128-bit key made once per store and kept with the state: its identity.
        This store's answer never changes, even if the state it opened is lost."""
        ...

    # Calls

    def add_calls(self, calls: Sequence[Call], events: Sequence[PendingEvent] = ()) -> None:
        """Keep these calls (consecutive sequence numbers) and the pending webhook events of
        their request in one write: all or none of both."""
        ...

    def get_call(self, sequence: int) -> Call | None:
        """The call with this sequence number, or None; `StoreReplaced` when the state is no
        longer the one this store opened."""
        ...

    def list_calls(self) -> list[Call]:
        """Every call, oldest first."""
        ...

    def count_calls(self) -> int:
        """How many calls are kept."""
        ...

    # The clock

    def clock_base(self, proposed: float, *, replace: bool = False) -> float:
        """The manual clock's base: set to `proposed` if none is kept (or if `replace`), then
        returned. Setting it zeroes the offset: the clock starts afresh at `proposed`."""
        ...

    def kept_clock(self) -> tuple[float | None, float]:
        """The kept clock in one read: the manual clock's base (None when none is kept) and
        the offset."""
        ...

    def forget_clock(self) -> None:
        """Keep no clock: no manual base, offset 0."""
        ...

    def clock_offset(self) -> float:
        """Seconds added to the clock's base by the admin API."""
        ...

    def add_clock_offset(self, seconds: float) -> None:
        """Add to the clock's offset."""
        ...

    # Scenario rules

    def add_scenario(self, rule: ScenarioRule) -> None:
        """Keep a rule (newer rules win)."""
        ...

    def list_scenarios(self) -> list[ScenarioRule]:
        """Every rule, oldest first."""
        ...

    def delete_scenario(self, rule_id: str) -> bool:
        """Forget one rule; False if there was none with that id."""
        ...

    def clear_scenarios(self) -> int:
        """Forget every rule; return how many there were."""
        ...

    # Webhooks

    def webhook_config(self) -> dict[str, Any] | None:
        """The webhook configuration as set at run time (a JSON object), or None if never set."""
        ...

    def set_webhook_config(self, config: dict[str, Any] | None) -> None:
        """Replace the run-time webhook configuration (None: back to the settings')."""
        ...

    def add_webhook_events(self, events: Sequence[PendingEvent]) -> None:
        """Keep these pending events (one write for a whole request), all or none."""
        ...

    def claim_due_events(
        self, now: float, limit: int, claimer: str, lease_seconds: float
    ) -> list[PendingEvent]:
        """Atomically take up to `limit` events due at `now` (`due_at <= now`) that nobody holds,
        or whose holder's lease ran out, in due order (`due_at`, then `sequence`).

        They stay kept, held by `claimer` until `now + lease_seconds`: no other
        claimer gets them meanwhile. The holder then calls `finish_event` or
        `reschedule_event`; if it never does (it died), they are claimable again
        once the lease runs out.
        """
        ...

    def finish_event(self, call_id: str, claimer: str) -> bool:
        """Forget a held event (delivered, or given up); False if `claimer` does not hold it."""
        ...

    def reschedule_event(self, event: PendingEvent, claimer: str) -> bool:
        """Replace a held event by `event` (same call id, a later `due_at` and the next
        `attempt`) and release it; False if `claimer` does not hold it."""
        ...

    def count_pending_events(self) -> int:
        """How many events wait (held ones included)."""
        ...

    def add_delivery(self, delivery: Delivery) -> Delivery:
        """Journal one attempt; return it with its id (1, 2, ... per store). Keeps the newest
        MAX_DELIVERIES."""
        ...

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        """The journaled attempt with this id, or None (also once forgotten)."""
        ...

    def list_deliveries(
        self, *, call_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[int, list[Delivery]]:
        """How many attempts match, and a page of them, newest first (optionally of one call)."""
        ...

    # Everything

    def reset(self) -> None:
        """Forget every call, message, run-time template, rule, pending event, journaled
        delivery, the kept clock (base and offset, as `forget_clock`) and the run-time webhook
        configuration.

        The sequence counter and the id key stay, so no id is ever issued
        twice by one store.
        """
        ...

    # --- Control-plane state: request journal, faults, rate limits -----------
    # Plain JSON-able dicts, so every store can hold them; each method is atomic.

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        """Keep `entry` under a new, increasing sequence number (set as `entry["seq"]`),
        dropping the oldest entries beyond `limit`; return the number."""
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
