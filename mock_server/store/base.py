"""The one interface every store implements; the domain knows nothing else.

Method groups: call numbering and ids, calls, the shared clock, scenario
rules, and reset. Every method is atomic on its own, so several workers can
share one store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mock_server.domain.model import Call
from mock_server.domain.outcomes import ScenarioRule


class Store(Protocol):
    """The emulator's state."""

    # Numbering and ids

    def allocate_sequence(self, count: int) -> int:
        """Reserve `count` consecutive call numbers; return the first."""
        ...

    def id_key(self) -> int:
        """A random 128-bit key made once per store and kept with the state."""
        ...

    # Calls

    def add_calls(self, calls: Sequence[Call]) -> None:
        """Keep these calls (consecutive sequence numbers), all or none."""
        ...

    def get_call(self, sequence: int) -> Call | None:
        """The call with this sequence number, or None."""
        ...

    def list_calls(self) -> list[Call]:
        """Every call, oldest first."""
        ...

    def count_calls(self) -> int:
        """How many calls are kept."""
        ...

    # The clock

    def clock_base(self, proposed: float, *, replace: bool = False) -> float:
        """The manual clock's start: set to `proposed` if unset (or if `replace`), then returned."""
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

    # Everything

    def reset(self) -> None:
        """Forget every call, rule and clock offset.

        The sequence counter and the id key stay, so no id is ever issued
        twice by one store; the manual clock's base stays too.
        """
        ...
