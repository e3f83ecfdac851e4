"""SMS messages and templates in Redis: a mixin of `RedisStore` (which owns the connection,
the key prefix, the identity and the webhook event keys).

Keys, under the store's prefix:

- `{prefix}sms:requests`: a sorted set with one member per accepted request,
  its messages as JSON (`codec.dumps_table`), scored by its first sequence
  number, as `{prefix}requests` holds calls (the two share the sequence);
- `{prefix}sms:templates`: a hash of templates registered at run time, by id,
  `null` for one deleted.

A request's messages and their pending webhook events go in one MULTI.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from bitel_mock import jsontext
from bitel_mock.domain.sms_model import Message, SmsTemplate
from bitel_mock.store import codec
from bitel_mock.store.guard import guarded
from bitel_mock.store.identity import StoreIdentity
from bitel_mock.store.runs import consecutive_runs
from bitel_mock.webhooks.model import PendingEvent


def _redis_trouble(exc: BaseException) -> str | None:
    # Imported when needed: the Redis store imports this module to build its class.
    from bitel_mock.store.redis import redis_trouble

    return redis_trouble(exc)


@guarded(_redis_trouble)
class RedisSmsMixin:
    """Messages by sequence number, templates by id."""

    _redis: Any
    _prefix: str
    _state: str
    _events: str
    _due: str
    _identity: StoreIdentity
    _member: Callable[[PendingEvent], str]

    @property
    def _sms_requests(self) -> str:
        return f"{self._prefix}sms:requests"

    @property
    def _sms_templates(self) -> str:
        return f"{self._prefix}sms:templates"

    def _sms_keys(self) -> tuple[str, ...]:
        """What a reset deletes."""
        return self._sms_requests, self._sms_templates

    def add_messages(
        self, messages: Sequence[Message], events: Sequence[PendingEvent] = ()
    ) -> None:
        if not messages and not events:
            return
        with self._redis.pipeline(transaction=True) as pipe:  # one MULTI: all or none
            if messages:
                members = {
                    codec.dumps_table(Message, run): run[0].sequence
                    for run in consecutive_runs(messages)  # type: ignore[arg-type]
                }
                pipe.zadd(self._sms_requests, members)
            if events:
                pipe.hset(
                    self._events,
                    mapping={event.call_id: jsontext.dumps(list(event)) for event in events},
                )
                pipe.zadd(self._due, {self._member(event): event.due_at for event in events})
            pipe.execute()

    def get_message(self, sequence: int) -> Message | None:
        with self._redis.pipeline(transaction=False) as pipe:  # one round trip with the identity
            pipe.hget(self._state, "id_key")
            pipe.zrevrangebyscore(
                self._sms_requests, sequence, "-inf", start=0, num=1, withscores=True
            )
            identity, found = pipe.execute()
        self._identity.confirm(None if identity is None else identity.decode())
        if not found:
            return None
        payload, first = found[0]
        table = json.loads(payload)
        offset = sequence - int(first)
        return (
            codec.decode_table_row(Message, table, offset)
            if offset < codec.table_size(table)
            else None
        )

    def list_messages(self) -> list[Message]:
        messages: list[Message] = []
        for payload in self._redis.zrange(self._sms_requests, 0, -1):
            table = json.loads(payload)
            messages.extend(
                codec.decode_table_row(Message, table, i) for i in range(codec.table_size(table))
            )
        return messages

    def sms_templates(self) -> dict[int, SmsTemplate | None]:
        kept = self._redis.hgetall(self._sms_templates)
        return {int(key): codec.loads(value, SmsTemplate | None) for key, value in kept.items()}

    def put_sms_template(self, template_id: int, template: SmsTemplate | None) -> None:
        self._redis.hset(self._sms_templates, str(template_id), codec.dumps(template))
