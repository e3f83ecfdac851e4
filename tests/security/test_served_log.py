"""What a client sends never forges a line of the served emulator's log."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import requests

from tests.e2e.processes import clean_env, wait_until_healthy
from tests.security.failing_server import FAILING_PREFIX
from tests.security.test_served_guard import raw

ROOT = Path(__file__).resolve().parents[2]
FORGED = "[2001-01-01 00:00:00 +0000] [1] [CRITICAL] forged"
RECORD = re.compile(rb"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[[A-Z]+\] ")
"""How every line gunicorn's log writes at the left margin starts."""


def log_while(send: Callable[[str], None]) -> bytes:
    """Serve the failing emulator, `send(url)`, stop it; everything it wrote to its log."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.security.failing_server"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(), start_new_session=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().decode().split("listening on ", 1)[1].strip()
        wait_until_healthy(url, process)  # type: ignore[arg-type]
        send(url)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        _, log = process.communicate(timeout=20)
    return log


def _send_hostile_paths(url: str) -> None:
    target = FAILING_PREFIX + "x%0d%0a" + FORGED.replace(" ", "%20")
    answer = requests.get(url + target, timeout=10)
    assert answer.status_code == 500 and answer.json() == {"result": None, "error": "InternalError"}
    status, _, _ = raw(url, b"GET /a\rb\x1b[2J HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert status == 400


def test_control_characters_sent_by_a_client_stay_escaped_on_their_line() -> None:
    log = log_while(_send_hostile_paths)
    lines = log.split(b"\n")
    assert b"\r" not in log and b"\x1b" not in log
    # Every line at the left margin is a record; the rest (tracebacks) is indented.
    for line in lines:
        assert not line or RECORD.match(line) or line.startswith(b"    "), line
    assert not any(line.startswith(FORGED.encode()) for line in lines)
    [failure] = [line for line in lines if b"unexpected error while handling" in line]
    assert RECORD.match(failure)
    assert failure.endswith(b"GET " + FAILING_PREFIX.encode() + b"x\\x0d\\x0a" + FORGED.encode())
    # The exception's own CR LF, in the traceback, is escaped and indented too.
    assert b"    RuntimeError: failing on purpose\\x0d" in lines
