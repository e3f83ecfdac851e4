"""What the domain needs of a store: calls and their numbers, scenario rules, the kept clock.

The stores (`bitel_mock.store`) implement it with the other parts' interfaces
(`webhooks.storage`, `toolkit.storage`); the domain knows only this.

Every method is atomic on its own, so several workers can share one store. A
method that cannot reach or write its state raises `StoreUnavailable` and
keeps nothing; a store whose state is no longer the one it opened raises
`StoreReplaced` when asked to number or find calls (`store/identity.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bitel_mock.domain.model import Call, CallBatch
from bitel_mock.domain.outcomes import ScenarioRule
from bitel_mock.webhooks.model import PendingEvent


class ClockStore(Protocol):
    """The clock every worker shares: a manual clock's base, and the offset moves add."""

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


class ScenarioStore(Protocol):
    """Scenario rules, set at run time (part of the control plane: changing them moves the
    generation)."""

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

    def generation(self) -> int | None:
        """The control plane's generation: it moves with every change of its state (rules,
        faults, limits, webhook configuration, templates); None when the store cannot tell."""
        ...


class CallStore(Protocol):
    """Calls, kept per request, found by their sequence numbers."""

    def allocate_sequence(self, count: int) -> int:
        """Reserve `count` consecutive call numbers; return the first. Never a number this
        store handed out before: `StoreReplaced` rather than that."""
        ...

    def id_key(self) -> int:
        """A random 128-bit key made once per store and kept with the state: its identity.
        This store's answer never changes, even if the state it opened is lost."""
        ...

    def add_batch(self, batch: CallBatch) -> int:
        """Number the calls of one request (the next `len(batch)` numbers, as
        `allocate_sequence` would) and keep them, in one write; return the first number."""
        ...

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


class DomainStore(CallStore, ScenarioStore, ClockStore, Protocol):
    """Everything the domain keeps in a store."""

    def close(self) -> None:
        """Release what this process holds of the store (connections)."""
        ...
