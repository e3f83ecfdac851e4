"""`make fuzz`: no 5xx and no HTML answer under garbage, against the emulator served as
`make run` serves it (SQLite in a temporary directory, 2 gunicorn workers, a free port).

Three parts, each bounded by a request count and a time budget:

1. schemathesis over the emulated API's document, as the emulator serves it
   (`/__admin/openapi.json`), valid and invalid cases of every operation;
2. the same over the control plane's document (`/__admin/admin-openapi.json`);
3. raw-socket junk (`fuzz_raw`): random bytes, broken request lines, huge
   headers, bad chunked encodings, CR LF injections, over-long URIs.

Prints, per part, the requests sent and the answers by status class, then the
5xx and HTML answers and the tracebacks in the server's log. Exits 1 if any
5xx or HTML answer was seen (or a traceback logged). Traffic goes to 127.0.0.1
only; webhook URLs may name 127.0.0.1 only (`--webhook-allow-host`).

    .venv/bin/python benchmarks/fuzz.py

Environment: FUZZ_API_REQUESTS (default 6000), FUZZ_ADMIN_REQUESTS (6000),
FUZZ_RAW_REQUESTS (10000), FUZZ_SECONDS (the whole run's budget, default 900).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fuzz_raw import fuzz_raw
from benchmarks.fuzz_schema import fuzz_document
from benchmarks.fuzz_tally import Tally
from benchmarks.served import served

API_REQUESTS = int(os.environ.get("FUZZ_API_REQUESTS", "6000"))
ADMIN_REQUESTS = int(os.environ.get("FUZZ_ADMIN_REQUESTS", "6000"))
RAW_REQUESTS = int(os.environ.get("FUZZ_RAW_REQUESTS", "10000"))
SECONDS = float(os.environ.get("FUZZ_SECONDS", "900"))
API_TOKEN = "fuzz-token"


def _budget(started: float, share: float) -> float:
    """The deadline of a part that may use `share` of the whole budget from now on."""
    return min(time.monotonic() + SECONDS * share, started + SECONDS)


def main() -> int:
    started = time.monotonic()
    tallies: list[Tally] = []
    with served("--webhook-allow-host", "127.0.0.1") as server:
        port = int(server.url.rsplit(":", 1)[1])
        print(f"fuzzing {server.url} (SQLite, 2 workers)", flush=True)
        tallies.append(fuzz_document(
            "schemathesis, emulated API", f"{server.url}/__admin/openapi.json", server.url,
            requests_wanted=API_REQUESTS, deadline=_budget(started, 0.4),
            headers={"Authorization": f"Bearer {API_TOKEN}"},
        ))
        print("\n".join(tallies[-1].lines()), flush=True)
        tallies.append(fuzz_document(
            "schemathesis, control plane", f"{server.url}/__admin/admin-openapi.json", server.url,
            requests_wanted=ADMIN_REQUESTS, deadline=_budget(started, 0.4),
        ))
        print("\n".join(tallies[-1].lines()), flush=True)
        tallies.append(fuzz_raw(port, requests_wanted=RAW_REQUESTS, deadline=_budget(started, 0.2)))
        print("\n".join(tallies[-1].lines()), flush=True)
        tracebacks = server.tracebacks()
    sent = sum(t.sent for t in tallies)
    server_errors = sum(sum(t.server_errors.values()) for t in tallies)
    html = sum(sum(t.html.values()) for t in tallies)
    print(
        f"total: {sent} requests in {time.monotonic() - started:.0f} s; 5xx: {server_errors}; "
        f"HTML answers: {html}; tracebacks in the server log: {tracebacks}"
    )
    return 1 if server_errors or html or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
