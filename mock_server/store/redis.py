"""The Redis store: state shared by emulator replicas on several hosts.

Keys, all under one prefix (one place per kind of state):

- `{prefix}state`: a hash of singleton values (the next sequence number, the
  call count, the id key); later kinds of shared state add fields here or
  keys of their own;
- `{prefix}requests`: a sorted set with one member per accepted request, its
  calls as JSON, scored by its first sequence number. A call is found by its
  sequence number with one ZREVRANGEBYSCORE.

Sequence numbers come from HINCRBY and the id key from HSETNX, so every
replica agrees. Durability is Redis's own (its `appendonly` setting).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import redis

from mock_server.domain.ids import random_key
from mock_server.domain.model import Call
from mock_server.store import codec
from mock_server.store.runs import consecutive_runs

DEFAULT_PREFIX = "bitel-mock:"


class RedisStore:
    """Keeps the emulator's state in Redis; safe across threads, processes and hosts."""

    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX) -> None:
        self.url = url
        self._redis = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        self._state = f"{prefix}state"
        self._requests = f"{prefix}requests"
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

    def count_calls(self) -> int:
        return int(self._redis.hget(self._state, "calls") or 0)

    def id_key(self) -> int:
        self._redis.hsetnx(self._state, "id_key", f"{random_key():032x}")
        return int(self._redis.hget(self._state, "id_key"), 16)

    def reset(self) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._requests)
            pipe.hset(
                self._state,
                mapping={"next_sequence": 0, "calls": 0, "id_key": f"{random_key():032x}"},
            )
            pipe.execute()

    def close(self) -> None:
        self._redis.close()
