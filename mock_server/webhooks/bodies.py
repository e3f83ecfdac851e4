"""The body of a due webhook event: the voice body of the call it is about, or the SMS body of
the message (calls and messages share one sequence, so an event's number names one of them)."""

from __future__ import annotations

from typing import Any, Protocol

from bitel_mock.domain.model import Call
from bitel_mock.domain.sms_model import Message
from bitel_mock.webhooks.events import event_bodies
from bitel_mock.webhooks.model import PendingEvent
from bitel_mock.webhooks.sms_events import sms_event_body


class EventSubjects(Protocol):
    """Where the calls and messages that events are about are kept."""

    def get_call(self, sequence: int) -> Call | None: ...

    def get_message(self, sequence: int) -> Message | None: ...


def event_body(
    store: EventSubjects, event: PendingEvent, *, negative_balance: bool
) -> dict[str, Any] | None:
    """The body to send for `event`, or None once its call or message is no longer kept."""
    call = store.get_call(event.sequence)
    if call is not None:
        if call.id != event.call_id:
            return None
        return event_bodies([call], negative_balance=negative_balance)[0]
    message = store.get_message(event.sequence)
    if message is None or message.id != event.call_id:
        return None
    return sms_event_body(message, negative_balance=negative_balance)


def campaign_of(body: Any) -> str | None:
    """What the deliveries journal shows as `campaignId`: a call's campaign, a message's batch."""
    if body is None:
        return None
    return body.get("campaignId", body.get("batchId"))
