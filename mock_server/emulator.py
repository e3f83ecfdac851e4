"""The emulator's parts wired together: settings, store, clock and services."""

from __future__ import annotations

from collections.abc import Callable

from bitel_mock.domain.calls import CallRules, CallService
from bitel_mock.domain.clock import Clock, ClockMode, StoreClock
from bitel_mock.domain.ids import IdCodec, key_from_seed
from bitel_mock.domain.phone import NumberPolicy
from bitel_mock.domain.sms import SmsRules, SmsService
from bitel_mock.errors import NUMBER_ERRORS
from bitel_mock.settings import Settings
from bitel_mock.store import MemoryStore, Store
from bitel_mock.store.generation import Generations
from bitel_mock.webhooks.background import BackgroundDispatcher
from bitel_mock.webhooks.dispatcher import WebhookDispatcher
from bitel_mock.webhooks.outbox import WebhookOutbox, WebhookSettings
from bitel_mock.webhooks.sender import HttpSender, Sender
from bitel_mock.webhooks.sms_outbox import SmsWebhookOutbox

EXTENSION_KEY = "bitel_mock"
"""Where a Flask app keeps its emulator: `app.extensions[EXTENSION_KEY]`."""


class Emulator:
    """One emulator instance; the Flask app holds one in `app.extensions`."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        clock: Clock | None = None,
        sender: Sender | None = None,
    ) -> None:
        self.settings = settings
        self.store: Store = store if store is not None else MemoryStore()
        self.generations = Generations(self.store.generation)
        """What this worker keeps of the control plane, while the store's generation stands."""
        self.clock = StoreClock(self.store, settings.clock, start_time=settings.start_time, wall=clock)
        self.webhook_settings = WebhookSettings(
            self.store,
            settings.webhook_config(),
            settings.webhook_targets(),
            generations=self.generations,
        )
        self.webhooks = WebhookDispatcher(
            store=self.store,
            clock=self.clock,
            settings=self.webhook_settings,
            sender=sender or HttpSender(self.webhook_settings.targets),
        )
        self._background = BackgroundDispatcher(self.webhooks)
        self._served = False
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
            listeners=[WebhookOutbox(self.webhook_settings, on_recorded=self.webhooks_wanted)],
            generations=self.generations,
        )
        self.sms = SmsService(
            store=self.store,
            clock=self.clock,
            ids=self.calls.ids,
            rules=SmsRules(
                numbers=self.calls.rules.numbers,
                gateways=settings.sms_gateways,
                number_error=self.calls.rules.number_error,
                timing=settings.sms_timing(),
                distribution=settings.outcomes,
                seed=settings.seed,
            ),
            listeners=[SmsWebhookOutbox(self.webhook_settings, on_recorded=self.webhooks_wanted)],
        )
        self._reset_hooks: list[Callable[[], None]] = []

    def on_reset(self, hook: Callable[[], None]) -> None:
        """Run `hook` whenever the emulator is reset (parts that keep their own state)."""
        self._reset_hooks.append(hook)

    def webhooks_wanted(self) -> None:
        """Events may come due: on a real clock, make sure the background dispatcher runs.

        On a manual clock nothing falls due by itself: clock moves deliver.
        """
        if self.clock.mode is ClockMode.REAL:
            self._background.ensure_started()

    def first_request(self) -> None:
        """Called before every request; on the first, start delivering if webhooks are set
        (another worker may have recorded events for this one to deliver)."""
        if self._served:
            return
        self._served = True
        if self.webhook_settings.current().enabled:
            self.webhooks_wanted()

    def begin_request(self) -> None:
        """A request of the emulated API starts: one read of the store dates it and says
        whether what this worker keeps of the control plane still holds (`end_request`
        after it)."""
        pulse = self.store.pulse()
        self.clock.pin(pulse.clock_offset)
        self.generations.pin(pulse.generation)

    def end_request(self) -> None:
        self.clock.unpin()
        self.generations.unpin()

    def close(self) -> None:
        """Stop the background dispatcher, if it runs."""
        self._background.stop()

    def reset(self) -> None:
        """Forget every call, rule, clock move, pending webhook and delivery, the run-time
        webhook configuration, and everything the reset hooks own.

        The store forgets its kept clock; this clock then keeps its start again (a manual
        clock is back at its base, a real one at the machine's time).
        """
        self.store.reset()
        self.clock.restart()
        for hook in self._reset_hooks:
            hook()
