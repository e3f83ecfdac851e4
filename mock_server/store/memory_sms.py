"""SMS messages and templates in memory: a mixin of `MemoryStore`, which owns the lock, the
identity and the pending events this part shares, and calls `_forget_messages` whenever it
forgets its state (reset, wipe)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from bitel_mock.domain.sms_model import Message, SmsTemplate
from bitel_mock.store.guard import guarded
from bitel_mock.store.identity import StoreIdentity
from bitel_mock.webhooks.model import PendingEvent


def _no_backend_errors(_: BaseException) -> None:
    return None


@guarded(_no_backend_errors)
class MemorySmsMixin:
    """Messages by sequence number, templates by id."""

    _lock: threading.Lock
    _identity: StoreIdentity
    _state_identity: str
    _messages: dict[int, Message]
    _sms_templates: dict[int, SmsTemplate | None]
    _wait: Callable[[PendingEvent], None]
    """MemoryStore's: queue one pending webhook event (under the lock)."""

    def _forget_messages(self) -> None:
        self._messages = {}
        self._sms_templates = {}

    def add_messages(
        self, messages: Sequence[Message], events: Sequence[PendingEvent] = ()
    ) -> None:
        with self._lock:
            self._messages.update((message.sequence, message) for message in messages)
            for event in events:
                self._wait(event)

    def get_message(self, sequence: int) -> Message | None:
        self._identity.confirm(self._state_identity)
        return self._messages.get(sequence)

    def list_messages(self) -> list[Message]:
        with self._lock:
            return [self._messages[key] for key in sorted(self._messages)]

    def sms_templates(self) -> dict[int, SmsTemplate | None]:
        with self._lock:
            return dict(self._sms_templates)

    def put_sms_template(self, template_id: int, template: SmsTemplate | None) -> None:
        with self._lock:
            self._sms_templates[template_id] = template
