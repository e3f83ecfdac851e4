"""The Redis store: state shared by emulator replicas on several hosts.

Keys, all under one prefix (one place per kind of state):

- `{prefix}state`: a hash of singleton values (the next sequence number, the
  call count, the id key, the control plane's generation); later kinds of
  shared state add fields here or keys of their own;
- `{prefix}requests`: a sorted set with one member per accepted request,
  `<first number>:<its calls as JSON>` (`store/call_rows.py`), scored by its
  first sequence number. A call is found by its sequence number with one
  ZREVRANGEBYSCORE.

- `{prefix}scenarios` (a list of rules), `{prefix}journal:entries` (a capped
  sorted set of entries scored by their number) with `{prefix}journal:index`
  (the same, holding only the fields a filter reads), `{prefix}faults` (a
  hash of definitions) with `{prefix}fault:remaining` and
  `{prefix}fault:hits`, `{prefix}bucket:<key>` and `{prefix}owned:<key>`: the
  control plane's state; the clock's base and offset and the run-time rate
  limit are fields of the state hash;
- `{prefix}sms:requests` and `{prefix}sms:templates`: SMS messages, as
  `{prefix}requests` holds calls, and templates (`store/redis_sms.py`).

Sequence numbers come from HINCRBY (in a script that first checks the id
key, the store's identity: see `store/identity.py`; a request's calls are
numbered and kept by one script) and the id key from HSETNX, so every
replica agrees; the steps that must read and write at once (using a fault,
taking a rate-limit token) are Lua scripts. Every change of the control
plane's state bumps the generation in the same MULTI or script. Durability
is Redis's own (its `appendonly` setting).

A Redis that is down, frozen, loading or refusing writes makes the store
unavailable (`StoreUnavailable`, a 503) within `SOCKET_TIMEOUT_SECONDS`; the
URL's own `socket_timeout` and `socket_connect_timeout` parameters win
(`redis://host:6379/0?socket_timeout=5`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bitel_mock import jsontext
from bitel_mock.domain.ids import random_key
from bitel_mock.domain.model import Call, CallBatch
from bitel_mock.domain.outcomes import ScenarioRule
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.store import call_rows, codec
from bitel_mock.store.breaker import Breaker
from bitel_mock.store.generation import Pulse, random_generation
from bitel_mock.store.guard import guarded
from bitel_mock.store.identity import StoreIdentity
from bitel_mock.store.incidents import IncidentLog
from bitel_mock.store.journal_filter import JournalFilter, index_of
from bitel_mock.store.journaled import batch_then_entry
from bitel_mock.store.redis_sms import RedisSmsMixin
from bitel_mock.webhooks.model import Delivery, PendingEvent
from bitel_mock.webhooks.storage import MAX_DELIVERIES

DEFAULT_PREFIX = "bitel-mock:"
SOCKET_TIMEOUT_SECONDS = 2.0
"""How long a command, or a connection, waits for Redis before the store is unavailable."""

# KEYS: the state hash; ARGV: count, the identity this process opened. The counter's new end,
# or false when the id key is missing or another (the state came back empty or was replaced).
_ALLOCATE = """
if redis.call('HGET', KEYS[1], 'id_key') ~= ARGV[2] then return false end
return redis.call('HINCRBY', KEYS[1], 'next_sequence', ARGV[1])
"""

# KEYS: the state hash, the requests' sorted set; ARGV: count, the identity this process opened,
# the lowest first number it accepts, the calls' stored text. Numbers the calls and keeps them
# (member "<first>:<text>", score the first number): {1, first}; {0, counter} when the counter
# is below that (nothing kept); false when the id key is missing or another.
_ADD_BATCH = """
if redis.call('HGET', KEYS[1], 'id_key') ~= ARGV[2] then return false end
local first = tonumber(redis.call('HGET', KEYS[1], 'next_sequence') or '0')
if first < tonumber(ARGV[3]) then return {0, first} end
redis.call('HINCRBY', KEYS[1], 'next_sequence', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'calls', ARGV[1])
redis.call('ZADD', KEYS[2], first, first .. ':' .. ARGV[4])
return {1, first}
"""

# KEYS: the state hash, the journal's entries and index; ARGV: the entry and its index as JSON
# objects without their number, the limit. Numbers the entry (appended as "seq"; first in the
# index), keeps both and drops the oldest beyond the limit, in one round trip: the number.
_APPEND_JOURNAL = """
local seq = redis.call('HINCRBY', KEYS[1], 'journal_sequence', 1)
local entry = '{"seq":' .. seq .. '}'
if ARGV[1] ~= '{}' then entry = string.sub(ARGV[1], 1, -2) .. ',"seq":' .. seq .. '}' end
redis.call('ZADD', KEYS[2], seq, entry)
redis.call('ZADD', KEYS[3], seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2))
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -limit - 1)
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -limit - 1)
return seq
"""

# KEYS: definitions hash, remaining hash, the state hash; ARGV: fault id. 1 when the fault may
# fire. A fault used up is removed: a new generation.
_CONSUME_FAULT = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local remaining = redis.call('HGET', KEYS[2], ARGV[1])
if not remaining then return 1 end
remaining = tonumber(remaining)
if remaining <= 1 then
  redis.call('HDEL', KEYS[1], ARGV[1]); redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HINCRBY', KEYS[3], 'generation', 1)
  if remaining == 1 then return 1 end
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
return 1
"""

# Webhook events: KEYS[1] a hash call_id -> event JSON (waiting or held), KEYS[2] a sorted set of
# waiting events (member "<sequence, 20 digits>:<call_id>", score due_at), KEYS[3] a hash
# call_id -> "claimer|until|member" of held events.

# ARGV: now, limit, claimer, lease. The claimed events' JSON, in due order.
_CLAIM_EVENTS = """
local now, limit, claimer, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local held = redis.call('HGETALL', KEYS[3])
for i = 1, #held, 2 do
  local hold = held[i + 1]
  local sep1 = string.find(hold, '|', 1, true)
  local sep2 = string.find(hold, '|', sep1 + 1, true)
  local untilt = tonumber(string.sub(hold, sep1 + 1, sep2 - 1))
  if untilt <= now then
    local event = cjson.decode(redis.call('HGET', KEYS[1], held[i]))
    redis.call('HDEL', KEYS[3], held[i])
    redis.call('ZADD', KEYS[2], event[3], string.sub(hold, sep2 + 1))
  end
end
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
local claimed = {}
for _, member in ipairs(due) do
  local call_id = string.sub(member, 22)
  redis.call('ZREM', KEYS[2], member)
  redis.call('HSET', KEYS[3], call_id, claimer .. '|' .. tostring(now + lease) .. '|' .. member)
  table.insert(claimed, redis.call('HGET', KEYS[1], call_id))
end
return claimed
"""

# ARGV: call_id, claimer, and (to reschedule) the new event JSON, due_at and member. 1 when done.
_RELEASE_EVENT = """
local hold = redis.call('HGET', KEYS[3], ARGV[1])
if not hold then return 0 end
if string.sub(hold, 1, string.find(hold, '|', 1, true) - 1) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
if ARGV[3] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1
"""

# KEYS: the state hash; ARGV: proposed base, "1" to replace. The kept base; setting one zeroes
# the offset (a new start).
_KEEP_CLOCK_BASE = """
if ARGV[2] == '0' then
  local kept = redis.call('HGET', KEYS[1], 'clock_base')
  if kept then return kept end
end
redis.call('HSET', KEYS[1], 'clock_base', ARGV[1], 'clock_offset', '0')
return ARGV[1]
"""

# KEYS: the bucket hash; ARGV: rate, burst, now. The seconds to wait, as a string ("0" when taken).
_TAKE_TOKEN = """
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or burst)
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or now)
tokens = math.min(burst, tokens + math.max(now - at, 0) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
return tostring(wait)
"""


_TROUBLE_ERRORS = (
    redis.ConnectionError,  # refused, reset, and (subclasses) still loading, bad credentials
    redis.TimeoutError,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.TryAgainError,
    redis.exceptions.ClusterDownError,  # and MASTERDOWN
)
_TROUBLE_REPLIES = ("MISCONF", "NOREPLICAS", "BUSY")
"""Error replies redis-py has no class for: a failed snapshot refusing writes, missing replicas,
a script running too long."""


def redis_trouble(exc: BaseException) -> str | None:
    """Why Redis cannot be used just now, or None when `exc` is no such trouble."""
    if isinstance(exc, _TROUBLE_ERRORS):
        return f"Redis: {exc}"
    if isinstance(exc, redis.ResponseError):
        reply = str(exc).rpartition("caused error: ")[2]  # a pipeline's error names its command
        if reply.startswith(_TROUBLE_REPLIES):
            return f"Redis: {exc}"
    return None


def _stored_text(member: bytes) -> bytes:
    """A request's stored calls from its member: "<first>:<text>" (the text alone is not unique:
    two requests alike keep the same), or the text alone as older releases kept it."""
    return member if member.startswith(b"{") else member.partition(b":")[2]


@guarded(redis_trouble)
class RedisStore(RedisSmsMixin):
    """Keeps the emulator's state in Redis; safe across threads, processes and hosts."""

    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX) -> None:
        self.url = url
        self.incidents = IncidentLog()
        self.breaker = Breaker()
        self._redis = redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            # Once, at once, on a broken connection (a restarted Redis); never on a timeout.
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        )
        self._state = f"{prefix}state"
        self._requests = f"{prefix}requests"
        self._prefix = prefix
        self._scenarios = f"{prefix}scenarios"
        self._journal = f"{prefix}journal:entries"
        self._journal_index = f"{prefix}journal:index"
        self._faults = f"{prefix}faults"
        self._fault_remaining = f"{prefix}fault:remaining"
        self._fault_hits = f"{prefix}fault:hits"
        self._consume_fault = self._redis.register_script(_CONSUME_FAULT)
        self._take_token = self._redis.register_script(_TAKE_TOKEN)
        self._events = f"{prefix}webhook:events"
        self._due = f"{prefix}webhook:due"
        self._held = f"{prefix}webhook:held"
        self._deliveries = f"{prefix}webhook:deliveries"
        self._claim_events = self._redis.register_script(_CLAIM_EVENTS)
        self._release_event = self._redis.register_script(_RELEASE_EVENT)
        self._allocate = self._redis.register_script(_ALLOCATE)
        self._add_batch = self._redis.register_script(_ADD_BATCH)
        self._append_journal = self._redis.register_script(_APPEND_JOURNAL)
        # Made once, here, so every replica that starts later shares them.
        self._redis.hsetnx(self._state, "id_key", f"{random_key():032x}")
        self._redis.hsetnx(self._state, "generation", random_generation())
        self._identity = StoreIdentity(self._redis.hget(self._state, "id_key").decode())

    def allocate_sequence(self, count: int) -> int:
        floor = self._identity.floor
        end = self._allocate(keys=[self._state], args=[count, self._identity.identity])
        if end is None:
            found = self._redis.hget(self._state, "id_key")
            self._identity.confirm(None if found is None else found.decode())
            self._identity.refuse("the store has lost its call counter")
        return self._identity.accept(int(end) - count, count, floor)

    def add_batch(self, batch: CallBatch) -> int:
        count = len(batch)
        if not count:
            return self.allocate_sequence(0)
        floor = self._identity.floor
        done = self._add_batch(
            keys=[self._state, self._requests],
            args=[count, self._identity.identity, floor, call_rows.dumps_batch(batch)],
        )
        if done is None:
            found = self._redis.hget(self._state, "id_key")
            self._identity.confirm(None if found is None else found.decode())
            self._identity.refuse("the store has lost its call counter")
        return self._identity.accept(int(done[1]), count, floor)

    def add_calls(self, calls: Sequence[Call], events: Sequence[PendingEvent] = ()) -> None:
        if not calls and not events:
            return
        with self._redis.pipeline(transaction=True) as pipe:  # one MULTI: all or none
            if calls:
                members = {f"{first}:{text}": first for first, _, text in call_rows.stored_runs(calls)}
                pipe.zadd(self._requests, members)
                pipe.hincrby(self._state, "calls", len(calls))
            if events:
                self._queue_events(pipe, events)
            pipe.execute()

    def get_call(self, sequence: int) -> Call | None:
        with self._redis.pipeline(transaction=False) as pipe:  # one round trip with the identity
            pipe.hget(self._state, "id_key")
            pipe.zrevrangebyscore(self._requests, sequence, "-inf", start=0, num=1, withscores=True)
            identity, found = pipe.execute()
        self._identity.confirm(None if identity is None else identity.decode())
        if not found:
            return None
        member, first = found[0]
        return call_rows.stored_call(int(first), _stored_text(member), sequence)

    def list_calls(self) -> list[Call]:
        calls: list[Call] = []
        for member, first in self._redis.zrange(self._requests, 0, -1, withscores=True):
            calls.extend(call_rows.stored_calls(int(first), _stored_text(member)))
        return calls

    def count_calls(self) -> int:
        return int(self._redis.hget(self._state, "calls") or 0)

    def id_key(self) -> int:
        return int(self._identity.identity, 16)

    # -- the control plane's generation ----------------------------------------

    def generation(self) -> int | None:
        value = self._redis.hget(self._state, "generation")
        return None if value is None else int(value)

    def pulse(self) -> Pulse:
        generation, offset = self._redis.hmget(self._state, ["generation", "clock_offset"])
        return Pulse(None if generation is None else int(generation), float(offset or 0.0))

    def _changing(self) -> redis.client.Pipeline:
        """A MULTI that also bumps the generation: queue the change, then `execute`."""
        pipe = self._redis.pipeline(transaction=True)
        pipe.hincrby(self._state, "generation", 1)
        return pipe

    # -- the clock -------------------------------------------------------------

    def clock_base(self, proposed: float, *, replace: bool = False) -> float:
        # Read first: a restart that changes nothing writes nothing, so it works on a Redis
        # that refuses writes.
        base, offset = self._kept_clock()
        if base is not None and (not replace or (base == proposed and offset == 0.0)):
            return base
        kept = self._redis.eval(
            _KEEP_CLOCK_BASE, 1, self._state, repr(float(proposed)), "1" if replace else "0"
        )
        return float(kept)

    def kept_clock(self) -> tuple[float | None, float]:
        return self._kept_clock()

    def _kept_clock(self) -> tuple[float | None, float]:
        base, offset = self._redis.hmget(self._state, ["clock_base", "clock_offset"])
        return (None if base is None else float(base)), float(offset or 0.0)

    def forget_clock(self) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._state, "clock_base")
            pipe.hset(self._state, "clock_offset", 0)
            pipe.execute()

    def clock_offset(self) -> float:
        return float(self._redis.hget(self._state, "clock_offset") or 0.0)

    def add_clock_offset(self, seconds: float) -> None:
        self._redis.hincrbyfloat(self._state, "clock_offset", seconds)

    # -- scenario rules ----------------------------------------------------------

    def add_scenario(self, rule: ScenarioRule) -> None:
        with self._changing() as pipe:
            pipe.rpush(self._scenarios, codec.dumps(rule))
            pipe.execute()

    def list_scenarios(self) -> list[ScenarioRule]:
        return [codec.loads(rule, ScenarioRule) for rule in self._redis.lrange(self._scenarios, 0, -1)]

    def delete_scenario(self, rule_id: str) -> bool:
        for raw in self._redis.lrange(self._scenarios, 0, -1):
            if codec.loads(raw, ScenarioRule).id == rule_id:
                with self._changing() as pipe:
                    pipe.lrem(self._scenarios, 1, raw)
                    return bool(pipe.execute()[-1])
        return False

    def clear_scenarios(self) -> int:
        with self._changing() as pipe:
            pipe.llen(self._scenarios)
            pipe.delete(self._scenarios)
            _, count, _ = pipe.execute()
        return int(count)

    # -- the journal -------------------------------------------------------------

    def add_batch_with_entry(self, batch: CallBatch, entry: dict[str, Any], limit: int) -> int:
        return batch_then_entry(self, batch, entry, limit)

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        unnumbered = {key: value for key, value in entry.items() if key != "seq"}
        index = {key: value for key, value in index_of(entry).items() if key != "seq"}
        seq = self._append_journal(
            keys=[self._state, self._journal, self._journal_index],
            args=[jsontext.dumps(unnumbered), jsontext.dumps(index), max(limit, 0)],
        )
        return int(seq)

    def journal_entries(self) -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in self._redis.zrevrange(self._journal, 0, -1)]

    def journal_page(
        self, where: JournalFilter, *, limit: int, offset: int = 0, before: int | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        if where.is_everything():
            return self._journal_page_of_everything(limit, offset, before)
        index = [json.loads(raw) for raw in self._redis.zrevrange(self._journal_index, 0, -1)]
        matching = [entry["seq"] for entry in index if where.matches(entry)]
        wanted = [seq for seq in matching if before is None or seq < before][offset : offset + limit]
        with self._redis.pipeline(transaction=False) as pipe:
            for seq in wanted:
                pipe.zrangebyscore(self._journal, seq, seq)
            found = pipe.execute()
        # An entry dropped between the two reads (the journal is full and moving) is left out.
        return len(matching), [json.loads(raws[0]) for raws in found if raws]

    def _journal_page_of_everything(
        self, limit: int, offset: int, before: int | None
    ) -> tuple[int, list[dict[str, Any]]]:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.zcard(self._journal)
            if limit > 0 and before is None:
                pipe.zrevrange(self._journal, offset, offset + limit - 1)
            elif limit > 0:
                pipe.zrevrangebyscore(self._journal, f"({before}", "-inf", start=offset, num=limit)
            total, *page = pipe.execute()
        return int(total), [json.loads(raw) for raw in (page[0] if page else [])]

    def clear_journal(self) -> None:
        self._redis.delete(self._journal, self._journal_index)

    # -- faults --------------------------------------------------------------------

    def add_fault(self, fault: dict[str, Any]) -> dict[str, Any]:
        number = int(self._redis.hincrby(self._state, "fault_sequence", 1))
        stored = {**fault, "id": f"fault-{number}", "hits": 0}
        with self._changing() as pipe:
            pipe.hset(self._faults, stored["id"], jsontext.dumps(stored))
            if stored.get("remaining") is not None:
                pipe.hset(self._fault_remaining, stored["id"], int(stored["remaining"]))
            pipe.execute()
        return stored

    def list_faults(self) -> list[dict[str, Any]]:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(self._faults)
            pipe.hgetall(self._fault_remaining)
            pipe.hgetall(self._fault_hits)
            faults, remaining, hits = pipe.execute()
        listed = []
        for raw_id, raw in faults.items():
            fault = json.loads(raw)
            left = remaining.get(raw_id)
            fault["remaining"] = None if left is None else int(left)
            fault["hits"] = int(hits.get(raw_id, 0))
            listed.append(fault)
        return sorted(listed, key=lambda fault: int(fault["id"].rpartition("-")[2]))

    def remove_fault(self, fault_id: str) -> bool:
        with self._changing() as pipe:
            pipe.hdel(self._faults, fault_id)
            pipe.hdel(self._fault_remaining, fault_id)
            pipe.hdel(self._fault_hits, fault_id)
            _, removed, _, _ = pipe.execute()
        return bool(removed)

    def clear_faults(self) -> None:
        with self._changing() as pipe:
            pipe.delete(self._faults, self._fault_remaining, self._fault_hits)
            pipe.execute()

    def hit_fault(self, fault_id: str) -> int | None:
        if not self._redis.hexists(self._faults, fault_id):
            return None
        return int(self._redis.hincrby(self._fault_hits, fault_id, 1))

    def consume_fault(self, fault_id: str) -> bool:
        return bool(
            self._consume_fault(keys=[self._faults, self._fault_remaining, self._state], args=[fault_id])
        )

    # -- rate limits ---------------------------------------------------------------

    def take_token(self, key: str, rate: float, burst: int, now: float) -> float:
        wait = self._take_token(keys=[f"{self._prefix}bucket:{key}"], args=[rate, burst, repr(now)])
        return float(wait)

    def rate_limit(self) -> dict[str, Any] | None:
        value = self._redis.hget(self._state, "rate_limit")
        return None if value is None else json.loads(value)

    def set_rate_limit(self, config: dict[str, Any] | None) -> None:
        buckets = list(self._redis.scan_iter(match=f"{self._prefix}bucket:*"))
        with self._changing() as pipe:
            if config is None:
                pipe.hdel(self._state, "rate_limit")
            else:
                pipe.hset(self._state, "rate_limit", jsontext.dumps(config))
            if buckets:
                pipe.delete(*buckets)
            pipe.execute()

    def add_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        if call_ids:
            self._redis.rpush(f"{self._prefix}owned:{key}", *call_ids)

    def owned_calls(self, key: str) -> list[str]:
        return [member.decode() for member in self._redis.lrange(f"{self._prefix}owned:{key}", 0, -1)]

    def drop_owned_calls(self, key: str, call_ids: Sequence[str]) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            for call_id in call_ids:
                pipe.lrem(f"{self._prefix}owned:{key}", 0, call_id)
            pipe.execute()

    # -- webhooks ------------------------------------------------------------------

    def webhook_config(self) -> dict[str, Any] | None:
        value = self._redis.hget(self._state, "webhook_config")
        return None if value is None else json.loads(value)

    def set_webhook_config(self, config: dict[str, Any] | None) -> None:
        with self._changing() as pipe:
            if config is None:
                pipe.hdel(self._state, "webhook_config")
            else:
                pipe.hset(self._state, "webhook_config", jsontext.dumps(config))
            pipe.execute()

    @staticmethod
    def _member(event: PendingEvent) -> str:
        return f"{event.sequence:020d}:{event.call_id}"

    def add_webhook_events(self, events: Sequence[PendingEvent]) -> None:
        if not events:
            return
        with self._redis.pipeline(transaction=True) as pipe:
            self._queue_events(pipe, events)
            pipe.execute()

    def _queue_events(self, pipe: redis.client.Pipeline, events: Sequence[PendingEvent]) -> None:
        pipe.hset(self._events, mapping={event.call_id: jsontext.dumps(list(event)) for event in events})
        pipe.zadd(self._due, {self._member(event): event.due_at for event in events})

    def claim_due_events(self, now: float, limit: int, claimer: str, lease_seconds: float) -> list[PendingEvent]:
        claimed = self._claim_events(
            keys=[self._events, self._due, self._held], args=[repr(now), limit, claimer, repr(lease_seconds)]
        )
        return [PendingEvent(*json.loads(raw)) for raw in claimed]

    def finish_event(self, call_id: str, claimer: str) -> bool:
        return bool(self._release_event(keys=[self._events, self._due, self._held], args=[call_id, claimer]))

    def reschedule_event(self, event: PendingEvent, claimer: str) -> bool:
        return bool(
            self._release_event(
                keys=[self._events, self._due, self._held],
                args=[event.call_id, claimer, jsontext.dumps(list(event)), repr(event.due_at), self._member(event)],
            )
        )

    def count_pending_events(self) -> int:
        return int(self._redis.hlen(self._events))

    def add_delivery(self, delivery: Delivery) -> Delivery:
        kept = dataclasses.replace(delivery, id=int(self._redis.hincrby(self._state, "delivery_id", 1)))
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(self._deliveries, codec.dumps(kept))
            pipe.ltrim(self._deliveries, 0, MAX_DELIVERIES - 1)
            pipe.execute()
        return kept

    def _all_deliveries(self) -> list[Delivery]:
        return [codec.loads(raw, Delivery) for raw in self._redis.lrange(self._deliveries, 0, -1)]

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        return next((d for d in self._all_deliveries() if d.id == delivery_id), None)

    def list_deliveries(
        self, *, call_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[int, list[Delivery]]:
        matching = [d for d in self._all_deliveries() if call_id is None or d.call_id == call_id]
        matching.sort(key=lambda d: d.id, reverse=True)
        return len(matching), matching[offset : offset + limit]

    # -- everything ----------------------------------------------------------------

    def reset(self) -> None:
        """Forget calls, rules, the kept clock (base and offset) and the control plane's state;
        keep the sequence counter and the id key, so no id is issued twice."""
        keyed = [
            *self._redis.scan_iter(match=f"{self._prefix}bucket:*"),
            *self._redis.scan_iter(match=f"{self._prefix}owned:*"),
        ]
        with self._changing() as pipe:
            pipe.delete(
                self._requests, self._scenarios, self._journal, self._journal_index, self._faults,
                self._fault_remaining, self._fault_hits, *keyed,
                self._events, self._due, self._held, self._deliveries, *self._sms_keys(),
            )
            pipe.hset(self._state, mapping={"calls": 0, "clock_offset": 0})
            pipe.hdel(self._state, "rate_limit", "webhook_config", "clock_base")
            pipe.execute()

    def put_sms_template(self, template_id: int, template: SmsTemplate | None) -> None:
        super().put_sms_template(template_id, template)
        self._redis.hincrby(self._state, "generation", 1)

    def close(self) -> None:
        self._redis.close()
