"""The part of the store interface that keeps SMS messages and templates.

Messages are numbered from the same sequence as calls (`allocate_sequence`), so
a sequence number, and the id that encodes it, belongs to one call or one
message, never both, and is never issued twice. Each store keeps the messages
of one request together, as it keeps calls, found by sequence number.

Templates are kept by id; `None` in place of a template marks one deleted (a
built-in template is deleted by such a mark, and comes back on reset).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bitel_mock.domain.sms_model import Message, SmsTemplate
from bitel_mock.webhooks.model import PendingEvent


class SmsStore(Protocol):
    """Messages and templates; every method atomic, as the rest of the store."""

    def add_messages(
        self, messages: Sequence[Message], events: Sequence[PendingEvent] = ()
    ) -> None:
        """Keep these messages (consecutive sequence numbers) and the pending webhook events of
        their request in one write: all or none of both."""
        ...

    def get_message(self, sequence: int) -> Message | None:
        """The message with this sequence number, or None (a call's number included);
        `StoreReplaced` when the state is no longer the one this store opened."""
        ...

    def list_messages(self) -> list[Message]:
        """Every message, oldest first."""
        ...

    def sms_templates(self) -> dict[int, SmsTemplate | None]:
        """Every template registered at run time by id, None for one deleted."""
        ...

    def put_sms_template(self, template_id: int, template: SmsTemplate | None) -> None:
        """Register (or replace) a template; None marks it deleted."""
        ...
