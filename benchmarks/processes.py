"""The servers under test as processes: started in a group of their own, timed to their first
answer, stopped, and weighed (resident memory of the whole process tree, from /proc).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import requests

READY_WITHIN_SECONDS = 60
STOP_WITHIN_SECONDS = 40
_POLL_SECONDS = 0.005


class StartFailed(RuntimeError):
    """A server exited, or did not answer in time; the message ends with its log's last lines."""


@dataclass
class Started:
    process: subprocess.Popen[bytes]
    ready_seconds: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _log_tail(log: Path, lines: int = 15) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def start(
    command: Sequence[str],
    ready_url: str,
    *,
    log: Path,
    cwd: Path,
    env: Mapping[str, str] | None = None,
) -> Started:
    """Start `command`, poll `ready_url` until it answers 2xx; the time counts from the start."""
    started = time.monotonic()
    with log.open("wb") as output:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = started + READY_WITHIN_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(ready_url, timeout=2).ok:
                return Started(process, time.monotonic() - started)
        except requests.RequestException:
            pass
        time.sleep(_POLL_SECONDS)  # polling readiness, bounded by the deadline
    exited = process.poll()
    stop(process)
    why = (
        f"exited with {exited}"
        if exited is not None
        else f"no answer within {READY_WITHIN_SECONDS} s"
    )
    raise StartFailed(f"{command[0]}: {why} at {ready_url}\n{_log_tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole group, then SIGKILL if it has not ended in time."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_WITHIN_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # a worker that outlived its parent
        os.killpg(process.pid, signal.SIGKILL)


def descendants(root: int, parents: Mapping[int, int]) -> list[int]:
    """`root` and every process below it, given each process's parent."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting.extend(children.get(pid, []))
    return sorted(found)


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    return parents


def tree_rss_mib(root: int) -> float:
    """Resident memory of `root` and all its descendants (master and workers), in MiB."""
    total_kib = 0
    for pid in descendants(root, _parents()):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total_kib += int(found.group(1)) if found else 0
    return total_kib / 1024
