"""The whole store interface: what the emulator wires up, made of each part's own interface.

Each consumer declares what it needs next to itself: the domain
(`domain.storage`: calls and their numbers, scenario rules, the kept clock),
webhook delivery (`webhooks.storage`), the toolkit (`toolkit.storage`: the
journal, faults, rate limits) and SMS (`store.sms_base`). A store implements
them all, plus what only the emulator asks: the request's first read
(`pulse`) and `reset`.

Every method is atomic on its own, so several workers can share one store. A
method that cannot reach or write its state (a Redis down or frozen, a full
disk, a lock held too long) raises `StoreUnavailable` and keeps nothing; a
store whose state is no longer the one it opened (it came back empty, was
replaced, went back in time) raises `StoreReplaced` when asked to number or
find calls, from then on (see `store/identity.py`).

The control plane's state (rules, faults, rate limits, the webhook
configuration, templates) has a generation that each of its changes moves in
the same write; workers keep what they read of it while the generation
stands (`store/generation.py`).
"""

from __future__ import annotations

from typing import Protocol

from bitel_mock.domain.storage import DomainStore
from bitel_mock.store.generation import Pulse
from bitel_mock.store.sms_base import SmsStore
from bitel_mock.toolkit.storage import ToolkitStore
from bitel_mock.webhooks.storage import MAX_DELIVERIES, WebhookStore

__all__ = ["MAX_DELIVERIES", "Store"]


class Store(DomainStore, WebhookStore, ToolkitStore, SmsStore, Protocol):
    """The emulator's state: every part's interface in one."""

    def pulse(self) -> Pulse:
        """What a request of the emulated API reads first, in one read: the control plane's
        generation and the clock's offset."""
        ...

    def reset(self) -> None:
        """Forget every call, message, run-time template, rule, pending event, journaled
        delivery, the kept clock (base and offset, as `forget_clock`), the run-time webhook
        configuration and the toolkit's state (journal, faults, buckets, owned calls, the
        run-time rate limit). Moves the generation.

        The sequence counter and the id key stay, so no id is ever issued
        twice by one store.
        """
        ...
