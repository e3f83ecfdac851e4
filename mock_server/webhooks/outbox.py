"""Recording webhook events when calls are accepted: kept in the store write that keeps the
calls, so a request keeps both or neither."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bitel_mock.domain.model import Call
from bitel_mock.store.generation import Generations
from bitel_mock.webhooks.config import WebhookConfig
from bitel_mock.webhooks.model import PendingEvent
from bitel_mock.webhooks.storage import WebhookStore
from bitel_mock.webhooks.targets import TargetPolicy


class WebhookSettings:
    """The effective configuration: the run-time one in the store, else the settings'; read
    once per generation of the control plane (`generations`; by default the store's
    generation is read on every use)."""

    def __init__(
        self,
        store: WebhookStore,
        defaults: WebhookConfig,
        targets: TargetPolicy,
        *,
        generations: Generations | None = None,
    ) -> None:
        self.store = store
        self.defaults = defaults
        self.targets = targets
        """Where webhooks may not go, and the hosts they may name."""
        self._current = (generations or Generations(store.generation)).kept(self._read)

    def _read(self) -> WebhookConfig:
        stored = self.store.webhook_config()
        return self.defaults if stored is None else WebhookConfig.from_json(stored)

    def current(self) -> WebhookConfig:
        return self._current()

    def update(self, changes: dict) -> WebhookConfig:
        """Apply `changes` (wire names) to the current configuration and keep it; ValueError
        for a value out of range or a URL to a host that is not allowed, and TargetRefused
        (a ValueError) for a new URL aimed where webhooks may not go."""
        current = self.current()
        updated = current.updated(changes, self.targets.allowed_hosts)
        self.targets.check_urls(updated.urls() - current.urls())
        self.store.set_webhook_config(updated.to_json())
        return updated


class WebhookOutbox:
    """A CallListener: one pending event per call, due at the call's final moment, kept with
    the calls; `on_recorded` runs once some are kept."""

    def __init__(self, settings: WebhookSettings, on_recorded: Callable[[], None]) -> None:
        self.settings = settings
        self.on_recorded = on_recorded

    def wants_events(self, token_fingerprint: str | None) -> bool:
        return self.settings.current().url_for(token_fingerprint) is not None

    def events_for(self, calls: Sequence[Call]) -> list[PendingEvent]:
        if not calls:
            return []
        config = self.settings.current()
        # Calls of one request share their token: no URL for it, no events.
        if config.url_for(calls[0].token_fingerprint) is None:
            return []
        delay = config.faults.delay_seconds
        return [
            PendingEvent(call.id, call.sequence, call.plan.final_at + delay, 1, call.token_fingerprint)
            for call in calls
        ]

    def calls_kept(self, calls: Sequence[Call], events: Sequence[PendingEvent]) -> None:
        if events:
            self.on_recorded()
