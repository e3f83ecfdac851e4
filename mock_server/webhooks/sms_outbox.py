"""Recording SMS webhook events when messages are accepted: kept in the store write that keeps
the messages, so a request keeps both or neither (as `outbox` does for calls)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bitel_mock.domain.sms_model import Message
from bitel_mock.webhooks.model import PendingEvent
from bitel_mock.webhooks.outbox import WebhookSettings


class SmsWebhookOutbox:
    """A MessageListener: one pending event per message, due at its final moment (plus the
    delay fault), sent to the URL of the token that sent it; `on_recorded` runs once some
    are kept."""

    def __init__(self, settings: WebhookSettings, on_recorded: Callable[[], None]) -> None:
        self.settings = settings
        self.on_recorded = on_recorded

    def events_for(self, messages: Sequence[Message]) -> list[PendingEvent]:
        if not messages:
            return []
        config = self.settings.current()
        # Messages of one request share their token: no URL for it, no events.
        if config.url_for(messages[0].owner) is None:
            return []
        delay = config.faults.delay_seconds
        return [
            PendingEvent(
                message.id, message.sequence, message.plan.final_at + delay, 1, message.owner
            )
            for message in messages
        ]

    def messages_kept(self, messages: Sequence[Message], events: Sequence[PendingEvent]) -> None:
        if events:
            self.on_recorded()
