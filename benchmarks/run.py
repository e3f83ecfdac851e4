"""`make bench`: the emulator (SQLite, 2 workers) against a bare Flask echo, with wrk, over loopback.

For each server: time from start to the first answer, then wrk runs bounded
in time (BENCH_SECONDS, default 10; -t2 -c32) on POST batch with 2 and 100
numbers and GET status, then resident memory of the master and its workers.
Prints a table and the emulator/echo ratio. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
THREADS, CONNECTIONS = 2, 32
VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"
AUTH = "Bearer bench"


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(command: list[str], url: str) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server; return it and the seconds from start to its first 200 (polled, bounded)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while time.monotonic() - started < 30:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return process, time.monotonic() - started
        except requests.ConnectionError:
            pass
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"{command[0]} never answered {url}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=40)


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and all its children, from /proc."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    total_kib = 0
    for each in pids:
        status = Path(f"/proc/{each}/status").read_text()
        total_kib += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
    return total_kib / 1024


def _lua(directory: Path, name: str, method: str, body: str | None) -> Path:
    lines = [f'wrk.method = "{method}"', f'wrk.headers["Authorization"] = "{AUTH}"']
    if body is not None:
        lines += ['wrk.headers["Content-Type"] = "application/json"', f"wrk.body = {json.dumps(body)}"]
    script = directory / f"{name}.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def _wrk(url: str, script: Path) -> Result:
    output = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, timeout=SECONDS + 60, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(value) for value in found.groups())
    return Result(rps, p50, p99, errors)


def _bodies() -> dict[str, str]:
    def body(count: int) -> str:
        return json.dumps({"phoneNumbers": [f"0912{n:07d}" for n in range(count)], "voiceId": VOICE_ID})

    return {"batch 2": body(2), "batch 100": body(100)}


def _place_one(base: str) -> str:
    return requests.post(
        f"{base}/api/v2/voice/batch", data=_bodies()["batch 2"],
        headers={"Authorization": AUTH, "Content-Type": "application/json"}, timeout=10,
    ).json()["result"][0]["id"]


def main() -> int:
    """Both servers up at once; each run goes to one then the other, so load on the machine hits both alike."""
    results: dict[str, dict[str, Result]] = {"emulator": {}, "echo": {}}
    with tempfile.TemporaryDirectory(prefix="bitel-bench-") as temp:
        directory = Path(temp)
        emulator_port, echo_port = _free_port(), _free_port()
        bases = {"emulator": f"http://127.0.0.1:{emulator_port}", "echo": f"http://127.0.0.1:{echo_port}"}
        emulator, emulator_start = _start(
            [sys.executable, "-m", "bitel_mock", "serve", "--port", str(emulator_port),
             "--store", f"sqlite:///{directory}/bench.sqlite3", "--workers", "2"],
            f"{bases['emulator']}/__admin/health",
        )
        try:
            echo, echo_start = _start(
                [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-k", "sync", "--log-level", "warning",
                 "-b", f"127.0.0.1:{echo_port}", "benchmarks.echo_app:app"],
                f"{bases['echo']}/api/v2/voice/status/{'0' * 32}",
            )
            try:
                for label, body in _bodies().items():
                    for name, base in bases.items():
                        script = _lua(directory, f"{name}-{label.replace(' ', '')}", "POST", body)
                        results[name][label] = _wrk(f"{base}/api/v2/voice/batch", script)
                for name, base in bases.items():
                    script = _lua(directory, f"{name}-status", "GET", None)
                    results[name]["status"] = _wrk(f"{base}/api/v2/voice/status/{_place_one(base)}", script)
                memory = {"emulator": _rss_mib(emulator.pid), "echo": _rss_mib(echo.pid)}
            finally:
                _stop(echo)
        finally:
            _stop(emulator)
    print(f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s over 127.0.0.1, runs interleaved; "
          "emulator: SQLite, 2 sync workers, full validation; echo: bare Flask, gunicorn 2 sync workers")
    print()
    print("| run | emulator rps | p50 ms | p99 ms | errors | echo rps | p50 ms | p99 ms | errors | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, mine in results["emulator"].items():
        theirs = results["echo"][label]
        print(
            f"| {label} | {mine.rps:,.0f} | {mine.p50_ms:.2f} | {mine.p99_ms:.2f} | {mine.errors} "
            f"| {theirs.rps:,.0f} | {theirs.p50_ms:.2f} | {theirs.p99_ms:.2f} | {theirs.errors} "
            f"| {mine.rps / theirs.rps:.2f}x |"
        )
    print(f"| start to first answer (s) | {emulator_start:.2f} | | | | {echo_start:.2f} | | | | |")
    print(f"| resident memory, master + workers (MiB) | {memory['emulator']:.0f} | | | | {memory['echo']:.0f} | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
