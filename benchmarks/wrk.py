"""The load: the three workloads, the wrk Lua script that sends each, one bounded wrk run, and
reading wrk's `--latency` output (requests per second, p99, errors).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

THREADS = 2
CONNECTIONS = 32
AUTH = "Bearer bench"
VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"
_GRACE_SECONDS = 60


@dataclass(frozen=True)
class Workload:
    """One kind of request; `numbers` is None for a status read of the server's placed id."""

    name: str
    numbers: int | None

    @property
    def method(self) -> str:
        return "GET" if self.numbers is None else "POST"

    def path(self, call_id: str) -> str:
        if self.numbers is None:
            return f"/api/v2/voice/status/{call_id}"
        return "/api/v2/voice/batch"

    def body(self) -> str | None:
        return None if self.numbers is None else batch_body(self.numbers)


WORKLOADS = (Workload("batch 2", 2), Workload("batch 100", 100), Workload("status", None))


@dataclass(frozen=True)
class Measurement:
    rps: float
    p99_ms: float
    errors: int


class WrkFailed(RuntimeError):
    """wrk exited badly, or printed output without the figures it always prints."""


def batch_body(count: int) -> str:
    numbers = [f"0912{n:07d}" for n in range(count)]
    return json.dumps({"phoneNumbers": numbers, "voiceId": VOICE_ID})


def lua_script(workload: Workload) -> str:
    """wrk's script for a workload: method, bearer token and, for a batch, the JSON body."""
    lines = [f'wrk.method = "{workload.method}"', f'wrk.headers["Authorization"] = "{AUTH}"']
    body = workload.body()
    if body is not None:
        # A JSON string is a valid Lua string literal here: the body holds no backslash escapes.
        lines += [
            'wrk.headers["Content-Type"] = "application/json"',
            f"wrk.body = {json.dumps(body)}",
        ]
    return "\n".join(lines) + "\n"


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not found:
        raise WrkFailed(f"wrk printed a latency it cannot read: {text!r}")
    return float(found.group(1)) * _UNITS_MS[found.group(2)]


def parse(output: str) -> Measurement:
    """Requests/sec, the 99% latency and errors (non-2xx/3xx answers plus socket errors)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not rps or not p99:
        raise WrkFailed(f"wrk's output lacks Requests/sec or the 99% line:\n{output}")
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(value) for value in found.groups())
    return Measurement(float(rps.group(1)), _ms(p99.group(1)), errors)


def run(url: str, script: Path, seconds: int) -> Measurement:
    """One wrk run (-t2 -c32 --latency) of `seconds` against `url`, bounded in time."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + _GRACE_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise WrkFailed(f"wrk did not end within {seconds + _GRACE_SECONDS} s") from exc
    if done.returncode != 0:
        raise WrkFailed(f"wrk exited with {done.returncode}: {done.stderr.strip()}")
    return parse(done.stdout)
