"""The Redis store: state shared by emulator replicas on several hosts.

Keys, all under one prefix (one place per kind of state):

- `{prefix}state`: a hash of singleton values (the next sequence number, the
  call count, the id key); later kinds of shared state add fields here or
  keys of their own;
- `{prefix}requests`: a sorted set with one member per accepted request, its
  calls as JSON, scored by its first sequence number. A call is found by its
  sequence number with one ZREVRANGEBYSCORE.

- `{prefix}scenarios` (a list of rules), `{prefix}journal` (a capped list,
  newest first), `{prefix}faults` (a hash of definitions) with
  `{prefix}fault:remaining` and `{prefix}fault:hits`, `{prefix}bucket:<key>`
  and `{prefix}owned:<key>`: the control plane's state; the clock's base and
  offset and the run-time rate limit are fields of the state hash.

Sequence numbers come from HINCRBY and the id key from HSETNX, so every
replica agrees; the steps that must read and write at once (using a fault,
taking a rate-limit token) are Lua scripts. Durability is Redis's own (its
`appendonly` setting).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import redis

from mock_server.domain.ids import random_key
from mock_server.domain.model import Call
from mock_server.domain.outcomes import ScenarioRule
from mock_server.store import codec
from mock_server.store.runs import consecutive_runs

DEFAULT_PREFIX = "bitel-mock:"

# KEYS: definitions hash, remaining hash; ARGV: fault id. 1 when the fault may fire.
_CONSUME_FAULT = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local remaining = redis.call('HGET', KEYS[2], ARGV[1])
if not remaining then return 1 end
remaining = tonumber(remaining)
if remaining <= 1 then
  redis.call('HDEL', KEYS[1], ARGV[1]); redis.call('HDEL', KEYS[2], ARGV[1])
  if remaining == 1 then return 1 end
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
return 1
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


class RedisStore:
    """Keeps the emulator's state in Redis; safe across threads, processes and hosts."""

    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX) -> None:
        self.url = url
        self._redis = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        self._state = f"{prefix}state"
        self._requests = f"{prefix}requests"
        self._prefix = prefix
        self._scenarios = f"{prefix}scenarios"
        self._journal = f"{prefix}journal"
        self._faults = f"{prefix}faults"
        self._fault_remaining = f"{prefix}fault:remaining"
        self._fault_hits = f"{prefix}fault:hits"
        self._consume_fault = self._redis.register_script(_CONSUME_FAULT)
        self._take_token = self._redis.register_script(_TAKE_TOKEN)
        self.id_key()  # made once, here, so every replica that starts later shares it

    def allocate_sequence(self, count: int) -> int:
        return int(self._redis.hincrby(self._state, "next_sequence", count)) - count

    def add_calls(self, calls: Sequence[Call]) -> None:
        if not calls:
            return
        members = {
            codec.dumps_table(Call, run): run[0].sequence
            for run in consecutive_runs(calls)
        }
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(self._requests, members)
            pipe.hincrby(self._state, "calls", len(calls))
            pipe.execute()

    def get_call(self, sequence: int) -> Call | None:
        found = self._redis.zrevrangebyscore(
            self._requests, sequence, "-inf", start=0, num=1, withscores=True
        )
        if not found:
            return None
        payload, first = found[0]
        table = json.loads(payload)
        offset = sequence - int(first)
        return codec.decode_table_row(Call, table, offset) if offset < codec.table_size(table) else None

    def list_calls(self) -> list[Call]:
        calls: list[Call] = []
        for payload in self._redis.zrange(self._requests, 0, -1):
            table = json.loads(payload)
            calls.extend(codec.decode_table_row(Call, table, i) for i in range(codec.table_size(table)))
        return calls

    def count_calls(self) -> int:
        return int(self._redis.hget(self._state, "calls") or 0)

    def id_key(self) -> int:
        self._redis.hsetnx(self._state, "id_key", f"{random_key():032x}")
        return int(self._redis.hget(self._state, "id_key"), 16)

    # -- the clock -------------------------------------------------------------

    def clock_base(self, proposed: float, *, replace: bool = False) -> float:
        if replace:
            self._redis.hset(self._state, "clock_base", repr(float(proposed)))
        else:
            self._redis.hsetnx(self._state, "clock_base", repr(float(proposed)))
        return float(self._redis.hget(self._state, "clock_base"))

    def clock_offset(self) -> float:
        return float(self._redis.hget(self._state, "clock_offset") or 0.0)

    def add_clock_offset(self, seconds: float) -> None:
        self._redis.hincrbyfloat(self._state, "clock_offset", seconds)

    # -- scenario rules ----------------------------------------------------------

    def add_scenario(self, rule: ScenarioRule) -> None:
        self._redis.rpush(self._scenarios, codec.dumps(rule))

    def list_scenarios(self) -> list[ScenarioRule]:
        return [codec.loads(rule, ScenarioRule) for rule in self._redis.lrange(self._scenarios, 0, -1)]

    def delete_scenario(self, rule_id: str) -> bool:
        for raw in self._redis.lrange(self._scenarios, 0, -1):
            if codec.loads(raw, ScenarioRule).id == rule_id:
                return bool(self._redis.lrem(self._scenarios, 1, raw))
        return False

    def clear_scenarios(self) -> int:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.llen(self._scenarios)
            pipe.delete(self._scenarios)
            count, _ = pipe.execute()
        return int(count)

    # -- the journal -------------------------------------------------------------

    def append_journal(self, entry: dict[str, Any], limit: int) -> int:
        seq = int(self._redis.hincrby(self._state, "journal_sequence", 1))
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(self._journal, json.dumps({**entry, "seq": seq}))
            pipe.ltrim(self._journal, 0, max(limit, 0) - 1)
            pipe.execute()
        return seq

    def journal_entries(self) -> list[dict[str, Any]]:
        entries = [json.loads(raw) for raw in self._redis.lrange(self._journal, 0, -1)]
        return sorted(entries, key=lambda entry: entry["seq"], reverse=True)

    def clear_journal(self) -> None:
        self._redis.delete(self._journal)

    # -- faults --------------------------------------------------------------------

    def add_fault(self, fault: dict[str, Any]) -> dict[str, Any]:
        number = int(self._redis.hincrby(self._state, "fault_sequence", 1))
        stored = {**fault, "id": f"fault-{number}", "hits": 0}
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._faults, stored["id"], json.dumps(stored))
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
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._faults, fault_id)
            pipe.hdel(self._fault_remaining, fault_id)
            pipe.hdel(self._fault_hits, fault_id)
            removed, _, _ = pipe.execute()
        return bool(removed)

    def clear_faults(self) -> None:
        self._redis.delete(self._faults, self._fault_remaining, self._fault_hits)

    def hit_fault(self, fault_id: str) -> int | None:
        if not self._redis.hexists(self._faults, fault_id):
            return None
        return int(self._redis.hincrby(self._fault_hits, fault_id, 1))

    def consume_fault(self, fault_id: str) -> bool:
        return bool(self._consume_fault(keys=[self._faults, self._fault_remaining], args=[fault_id]))

    # -- rate limits ---------------------------------------------------------------

    def take_token(self, key: str, rate: float, burst: int, now: float) -> float:
        wait = self._take_token(keys=[f"{self._prefix}bucket:{key}"], args=[rate, burst, repr(now)])
        return float(wait)

    def rate_limit(self) -> dict[str, Any] | None:
        value = self._redis.hget(self._state, "rate_limit")
        return None if value is None else json.loads(value)

    def set_rate_limit(self, config: dict[str, Any] | None) -> None:
        buckets = list(self._redis.scan_iter(match=f"{self._prefix}bucket:*"))
        with self._redis.pipeline(transaction=True) as pipe:
            if config is None:
                pipe.hdel(self._state, "rate_limit")
            else:
                pipe.hset(self._state, "rate_limit", json.dumps(config))
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

    # -- everything ----------------------------------------------------------------

    def reset(self) -> None:
        """Forget calls, rules, the clock offset and the control plane's state; keep the
        sequence counter, the id key and the clock base, so no id is issued twice."""
        keyed = [
            *self._redis.scan_iter(match=f"{self._prefix}bucket:*"),
            *self._redis.scan_iter(match=f"{self._prefix}owned:*"),
        ]
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(
                self._requests, self._scenarios, self._journal, self._faults,
                self._fault_remaining, self._fault_hits, *keyed,
            )
            pipe.hset(self._state, mapping={"calls": 0, "clock_offset": 0})
            pipe.hdel(self._state, "rate_limit")
            pipe.execute()

    def close(self) -> None:
        self._redis.close()
