"""The emulator's parts wired together: settings, store, clock and services."""

from __future__ import annotations

from collections.abc import Callable

from mock_server.domain.calls import CallRules, CallService
from mock_server.domain.clock import Clock, StoreClock
from mock_server.domain.ids import IdCodec, key_from_seed
from mock_server.domain.phone import NumberPolicy
from mock_server.errors import NUMBER_ERRORS
from mock_server.settings import Settings
from mock_server.store import MemoryStore, Store


class Emulator:
    """One emulator instance; the Flask app holds one in `app.extensions`."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.store: Store = store if store is not None else MemoryStore()
        self.clock = StoreClock(self.store, settings.clock, start_time=settings.start_time, wall=clock)
        self.calls = CallService(
            store=self.store,
            clock=self.clock,
            ids=IdCodec(
                key_from_seed(settings.seed) if settings.seed is not None else self.store.id_key()
            ),
            rules=CallRules(
                numbers=NumberPolicy(settings.number_forms),
                server_ids=settings.server_ids,
                number_error=NUMBER_ERRORS[settings.invalid_number_error],
                timing=settings.timing,
                distribution=settings.outcomes,
                seed=settings.seed,
            ),
        )
        self._reset_hooks: list[Callable[[], None]] = []

    def on_reset(self, hook: Callable[[], None]) -> None:
        """Run `hook` whenever the emulator is reset (parts that keep their own state)."""
        self._reset_hooks.append(hook)

    def reset(self) -> None:
        """Forget every call, rule and clock offset, and everything the reset hooks own."""
        self.store.reset()
        for hook in self._reset_hooks:
            hook()
