"""Delivering due events: claim them through the store, POST them, journal every attempt,
and schedule a retry after a failure (on the emulator clock).

Several dispatchers (threads, workers, hosts) may share one store: each event
is claimed by one of them only. Within one run, events are sent one after
another in due order (newest first with the out-of-order fault), so a
receiver sees them in the order a test expects; a run therefore lasts at
most about timeout x (1 + duplicates) x due events.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bitel_mock import jsontext
from bitel_mock.domain.clock import Clock
from bitel_mock.version import __version__
from bitel_mock.webhooks.bodies import campaign_of, event_body
from bitel_mock.webhooks.config import WebhookConfig
from bitel_mock.webhooks.model import Delivery, DeliveryKind, DeliveryOutcome, PendingEvent
from bitel_mock.webhooks.outbox import WebhookSettings
from bitel_mock.webhooks.sender import Sender, SendResult
from bitel_mock.webhooks.storage import WebhookStore

CLAIM_BATCH = 100
"""Events claimed at once."""
LEASE_SECONDS = 300.0
"""Emulator seconds a claim holds an event: after that, a claimer that died loses it."""
MAX_EVENTS_PER_RUN = 10_000
"""A bound on one run (the rest stay due for the next)."""
ATTEMPT_HEADER = "X-Bitel-Mock-Attempt"
NO_URL = "no webhook URL is configured for this call's token"
NO_CALL = "the call or message is no longer kept (the emulator was reset)"


class NoWebhookUrl(LookupError):
    """A redelivery was asked for, but no URL applies to the event now."""


class WebhookDispatcher:
    """Delivers the events that are due on the emulator clock."""

    def __init__(
        self, *, store: WebhookStore, clock: Clock, settings: WebhookSettings, sender: Sender
    ) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.sender = sender
        self._name = secrets.token_hex(4)
        self._runs = itertools.count(1)

    def deliver_due(self) -> list[Delivery]:
        """Deliver every event due now (retries that fall due meanwhile included); return the
        journaled attempts."""
        claimer = f"{self._name}:{next(self._runs)}"
        journal: list[Delivery] = []
        handled = 0
        while handled < MAX_EVENTS_PER_RUN:
            batch = self.store.claim_due_events(
                self.clock.now(),
                min(CLAIM_BATCH, MAX_EVENTS_PER_RUN - handled),
                claimer,
                LEASE_SECONDS,
            )
            if not batch:
                break
            config = self.settings.current()
            if config.faults.out_of_order:
                batch.reverse()
            for event in batch:
                journal.extend(self._deliver(event, config, claimer))
            handled += len(batch)
        return journal

    def _deliver(self, event: PendingEvent, config: WebhookConfig, claimer: str) -> list[Delivery]:
        url = config.url_for(event.token_fingerprint)
        now = int(self.clock.now())
        body = (
            None
            if url is None
            else event_body(self.store, event, negative_balance=config.negative_balance)
        )
        if url is None or body is None:
            self.store.finish_event(event.call_id, claimer)
            skipped = SendResult(None, NO_URL if url is None else NO_CALL, 0.0)
            return [self._journal(event, None, url, now, skipped, DeliveryOutcome.SKIPPED, None)]

        result = self._send(url, body, event.attempt, config.timeout_seconds)
        if result.refused:  # nothing was sent, and a retry would be refused the same way
            self.store.finish_event(event.call_id, claimer)
            return [self._journal(event, None, url, now, result, DeliveryOutcome.SKIPPED, None)]
        retry = None
        if result.ok:
            outcome = DeliveryOutcome.DELIVERED
        elif event.attempt <= config.retries:
            outcome = DeliveryOutcome.RETRYING
            retry = event._replace(
                due_at=now + config.backoff(event.attempt), attempt=event.attempt + 1
            )
        else:
            outcome = DeliveryOutcome.FAILED
        next_at = None if retry is None else int(retry.due_at)
        attempts = [self._journal(event, body, url, now, result, outcome, next_at)]
        for _ in range(config.faults.duplicates):
            copy = self._send(url, body, event.attempt, config.timeout_seconds)
            copy_outcome = DeliveryOutcome.DELIVERED if copy.ok else DeliveryOutcome.FAILED
            attempts.append(
                self._journal(
                    event, body, url, now, copy, copy_outcome, None, DeliveryKind.DUPLICATE
                )
            )
        # Released only now: a retry is never claimed before this attempt is journaled.
        if retry is None:
            self.store.finish_event(event.call_id, claimer)
        else:
            self.store.reschedule_event(retry, claimer)
        return attempts

    def redeliver(self, delivery_id: int) -> Delivery | None:
        """Send a journaled attempt's body once more, to the URL that applies now; None if no
        attempt has that id. Not retried on failure."""
        earlier = self.store.get_delivery(delivery_id)
        if earlier is None or earlier.body is None:
            return None
        config = self.settings.current()
        url = config.url_for(earlier.token_fingerprint)
        if url is None:
            raise NoWebhookUrl(NO_URL)
        result = self._send(url, earlier.body, earlier.attempt, config.timeout_seconds)
        outcome = DeliveryOutcome.DELIVERED if result.ok else DeliveryOutcome.FAILED
        if result.refused:
            outcome = DeliveryOutcome.SKIPPED
        # A refused target got nothing: the journal keeps no body for this attempt.
        return self.store.add_delivery(
            replace(
                earlier,
                id=0,
                kind=DeliveryKind.REDELIVERY,
                at=int(self.clock.now()),
                url=url,
                status=result.status,
                error=result.error,
                latency_ms=result.latency_ms,
                outcome=outcome,
                next_attempt_at=None,
                body=None if result.refused else earlier.body,
            )
        )

    def _send(self, url: str, body: Mapping[str, Any], attempt: int, timeout: float) -> SendResult:
        payload = jsontext.dumps_bytes(body)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"bitel-mock/{__version__}",
            ATTEMPT_HEADER: str(attempt),
        }
        return self.sender.send(url, payload, headers, timeout)

    def _journal(
        self,
        event: PendingEvent,
        body: Mapping[str, Any] | None,
        url: str | None,
        at: int,
        result: SendResult,
        outcome: DeliveryOutcome,
        next_at: int | None,
        kind: DeliveryKind = DeliveryKind.DELIVERY,
    ) -> Delivery:
        return self.store.add_delivery(
            Delivery(
                id=0,
                call_id=event.call_id,
                campaign_id=campaign_of(body),
                attempt=event.attempt,
                kind=kind,
                at=at,
                url=url,
                status=result.status,
                error=result.error,
                latency_ms=result.latency_ms,
                outcome=outcome,
                next_attempt_at=next_at,
                token_fingerprint=event.token_fingerprint,
                body=body,
            )
        )
