"""How the calls of one request are kept as one stored value, and read back, in every store
that keeps them outside Python (SQLite, Redis).

A stored value holds one run of calls with consecutive sequence numbers; the
first number is its key, kept beside it. Two shapes:

- the calls of one accepted request (`CallBatch`, `PlacedCalls`): what they
  share, once; their numbers as sent and plans as columns, each distinct plan
  once (`"batch": 1`); ids and the campaign id are made from the first number
  and the id key kept with them. Nothing in it depends on the numbers, so it
  is written before they are known (`add_batch`: one write numbers and keeps);
- any other run of calls: a codec table (`codec.dumps_table`), the shape every
  store wrote before the first, still read from older files.

Either gives one call (a status read) without making the others; the newest
values read stay decoded (`DECODED_KEPT`), since stored values never change.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

import orjson

from bitel_mock import jsontext
from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.model import Call, CallBatch, CallKind, PlacedCalls, Plan
from bitel_mock.store import codec
from bitel_mock.store.runs import consecutive_runs

_BATCH = "batch"
DECODED_KEPT = 256
"""How many stored values stay decoded (status reads poll the same recent requests)."""
_decode_plan = codec.decoder_for(Plan)


def stored_runs(calls: Sequence[Call]) -> list[tuple[int, int, str]]:
    """`(first sequence, count, stored text)` of each run of consecutive calls."""
    if isinstance(calls, PlacedCalls):
        return [(calls.first_sequence, len(calls), dumps_batch(calls.batch))] if len(calls) else []
    return [
        (run[0].sequence, len(run), codec.dumps_table(Call, run)) for run in consecutive_runs(calls)
    ]


def dumps_batch(batch: CallBatch) -> str:
    """The stored text of a request's calls (whatever numbers they get)."""
    locals_ = None if batch.local_numbers == batch.phone_numbers else batch.local_numbers
    return jsontext.dumps(
        {
            _BATCH: 1,
            "idKey": key_text(batch.id_key),
            "numbers": batch.phone_numbers,
            "locals": locals_,
            "plans": [_encoded_plan(plan) for plan in batch.plans],
            "planOf": batch.plan_of,
            "kind": batch.kind.value,
            "requestDate": batch.request_date,
            "retryCount": batch.retry_count,
            "voiceId": batch.voice_id,
            "text": batch.text,
            "serverId": batch.server_id,
            "repeatCount": batch.repeat_count,
            "token": batch.token_fingerprint,
        }
    )


@functools.lru_cache(maxsize=256)
def _encoded_plan(plan: Plan) -> Any:
    """A plan as plain data (requests of the same second share their plans: encoded once)."""
    return codec.encode_value(plan)


def _loads(text: str | bytes) -> dict[str, Any]:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # written by the standard library's fallback
        return json.loads(text)


def stored_calls(first: int, text: str | bytes) -> Sequence[Call]:
    """The run of calls kept as `text` under `first`."""
    kept = _decoded(text)
    if isinstance(kept, CallBatch):
        return PlacedCalls(kept, first)
    return [codec.decode_table_row(Call, kept, index) for index in range(codec.table_size(kept))]


def stored_call(first: int, text: str | bytes, sequence: int) -> Call | None:
    """The call numbered `sequence` in the run kept as `text` under `first`, or None when the
    run ends before it."""
    offset = sequence - first
    kept = _decoded(text)
    if not isinstance(kept, CallBatch):
        return (
            codec.decode_table_row(Call, kept, offset)
            if 0 <= offset < codec.table_size(kept)
            else None
        )
    if not 0 <= offset < len(kept):
        return None
    ids = _codec(kept.id_key)
    return kept.call_at(  # only this call
        offset, call_id=ids.encode(sequence), sequence=sequence, campaign_id=ids.campaign_id(first)
    )


@functools.lru_cache(maxsize=DECODED_KEPT)
def _decoded(text: str | bytes) -> CallBatch | dict[str, Any]:
    """A stored value decoded: a batch, or an older table (a plain dict: read, never changed).
    Kept values never change, and the calls polled are the recent ones: the newest decoded
    values are kept, by their text."""
    data = _loads(text)
    return _batch(data) if data.get(_BATCH) else data


@functools.lru_cache(maxsize=16)
def _codec(key: int) -> IdCodec:
    return IdCodec(key)


def key_text(key: int) -> str:
    """An id key as it is stored: 32 hex digits."""
    return f"{key:032x}"


def run_ids(key: str, first: int, count: int) -> list[str]:
    """The ids of the calls numbered `first` to `first + count - 1` under a stored key."""
    return _codec(int(key, 16)).encode_run(first, count)


def _batch(data: dict[str, Any]) -> CallBatch:
    numbers = tuple(data["numbers"])
    plan_of = data["planOf"]
    return CallBatch(
        id_key=int(data["idKey"], 16),
        phone_numbers=numbers,
        local_numbers=numbers if data["locals"] is None else tuple(data["locals"]),
        plans=tuple(_decode_plan(plan) for plan in data["plans"]),
        plan_of=None if plan_of is None else tuple(plan_of),
        kind=CallKind(data["kind"]),
        request_date=data["requestDate"],
        retry_count=data["retryCount"],
        voice_id=data["voiceId"],
        text=data["text"],
        server_id=data["serverId"],
        repeat_count=data["repeatCount"],
        token_fingerprint=data["token"],
    )
