"""Requests' calls as the domain hands them to a store (`CallBatch`), for store tests."""

from __future__ import annotations

from bitel_mock.domain.model import CallBatch, CallKind, CallStatus
from tests.factories import plan_for

REQUEST_DATE = 1_700_000_000


def batch_of(
    count: int,
    *,
    key: int = 0x0123456789ABCDEF0123456789ABCDEF,
    number: str = "09121234567",
    sent: str | None = None,
    busy_every: int = 0,
    token: str | None = None,
    request_date: int = REQUEST_DATE,
) -> CallBatch:
    """`count` calls to `number` (sent as `sent`); every `busy_every`-th one (if any) with a
    plan of its own, so the batch has two plans."""
    plans = (plan_for(request_date), plan_for(request_date, 1, CallStatus.USER_BUSY))
    plan_of = None
    if busy_every:
        plan_of = tuple(1 if offset % busy_every == 0 else 0 for offset in range(count))
    return CallBatch(
        id_key=key,
        phone_numbers=(sent or number,) * count,
        local_numbers=(number,) * count,
        plans=plans if busy_every else plans[:1],
        plan_of=plan_of,
        kind=CallKind.BATCH_TTS,
        request_date=request_date,
        retry_count=1,
        voice_id=None,
        text="سلام، این یک تماس است",
        server_id="2",
        repeat_count=None,
        token_fingerprint=token,
    )
