"""What large bodies cost the request journal: N unauthenticated JSON bodies of ~254 KiB each
to POST /api/v2/voice/single (each answered 401 and journaled), then pages of
`GET /__admin/requests?limit=1`.

Prints the time of the load, each page's time, the SQLite file's size and
each worker's resident memory (peak and now). Served as `make run` does
(SQLite, 2 workers); traffic goes to 127.0.0.1 only. Bounded: JOURNAL_LOAD_COUNT
bodies (default 1000), JOURNAL_LOAD_SECONDS for the load (default 300).

    .venv/bin/python benchmarks/journal_load.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.served import served

COUNT = int(os.environ.get("JOURNAL_LOAD_COUNT", "1000"))
LOAD_SECONDS = float(os.environ.get("JOURNAL_LOAD_SECONDS", "300"))
BODY_BYTES = 254 * 1024
PAGES = 5


def _body() -> bytes:
    filler = "a" * (BODY_BYTES - 64)
    return json.dumps({"phoneNumber": "09120000000", "voiceId": filler}).encode()


def main() -> int:
    body = _body()
    with served() as server, requests.Session() as session:
        print(f"worker peak before: {[round(m) for m in server.worker_memory_mib()]} MiB")
        started = time.monotonic()
        sent = 0
        statuses: dict[int, int] = {}
        while sent < COUNT and time.monotonic() - started < LOAD_SECONDS:
            answer = session.post(
                f"{server.url}/api/v2/voice/single", data=body,
                headers={"Content-Type": "application/json"}, timeout=30,
            )
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            sent += 1
        load = time.monotonic() - started
        print(f"sent {sent} bodies of {len(body)} bytes in {load:.1f} s; statuses {statuses}")
        times = []
        for _ in range(PAGES):
            began = time.monotonic()
            page = session.get(f"{server.url}/__admin/requests?limit=1", timeout=120)
            times.append(time.monotonic() - began)
            assert page.status_code == 200, page.text[:200]
        total = page.json()["total"]
        print(f"GET /__admin/requests?limit=1 ({total} entries): "
              f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms, "
              f"{len(page.content)} bytes")
        store = next(Path(server.log.parent).glob("*.sqlite3"))
        wal = store.with_name(store.name + "-wal")
        size = store.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        print(f"SQLite file with its WAL: {size / 2**20:.1f} MiB")
        print(f"worker peak after: {[round(m) for m in server.worker_memory_mib()]} MiB; "
              f"now: {[round(m) for m in server.worker_memory_mib('VmRSS')]} MiB")
        print(f"tracebacks in the log: {server.tracebacks()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
