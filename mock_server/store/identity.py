"""What one process remembers of the store it opened, so that no call id is issued twice.

Ids are a keyed bijection of sequence numbers, so a store that loses its
counter (a Redis restarted empty, a file swapped or restored from a backup)
would make a running emulator number calls from 0 again and hand out ids it
already gave: old ids would then name new calls. Every store keeps an
identity made with its state (its random id key, as 32 hex digits); each
process remembers the identity it opened and the end of the last numbers it
was given. Before numbering (in the same round trip) and when finding a
call, the store shows what it holds now; if the identity is gone or
different, or the numbers went backwards, this process refuses from then on
(`StoreReplaced`, a lasting 503) instead of reusing ids. A new emulator
started on the new state makes a new key, so its ids never meet the old ones.
"""

from __future__ import annotations

from bitel_mock.store.errors import StoreReplaced

_RESTART = "restart the emulator to serve from the store as it is now"


class StoreIdentity:
    """The identity of the state this process opened, and the numbers it was given."""

    def __init__(self, identity: str) -> None:
        self.identity = identity
        self.floor = 0
        """Every sequence number below this was already given to this process."""
        self._refusal: str | None = None
        """Why this process refuses, once it does (it never stops refusing)."""

    def confirm(self, found: str | None) -> None:
        """The store's identity now is `found` (None: it has none): raise unless it is ours."""
        if self._refusal is not None:
            raise StoreReplaced(self._refusal)
        if found != self.identity:
            state = (
                "has lost its identity (it came back empty)"
                if found is None
                else "has another identity"
            )
            self.refuse(
                f"the store {state}: calls are neither numbered nor found, so that no id is issued twice"
            )

    def accept(self, first: int, count: int, floor: int) -> int:
        """`first` of `count` new numbers, checked against `floor` (read before asking)."""
        if self._refusal is not None:
            raise StoreReplaced(self._refusal)
        if first < floor:
            self.refuse(
                f"the store's sequence went backwards (it gave {first}, this process had been given "
                f"numbers up to {floor - 1}): no more calls are numbered, so that no id is issued twice"
            )
        end = first + count
        if (
            end > self.floor
        ):  # a lost race here only lowers the floor: fewer refusals, never a false one
            self.floor = end
        return first

    def refuse(self, reason: str) -> None:
        """Refuse from now on, for this reason (raises `StoreReplaced`)."""
        self._refusal = f"{reason}; {_RESTART}"
        raise StoreReplaced(self._refusal)
