"""`bitel-mock serve` under granian, over real sockets: slow clients hold no worker, faults are
real on the wire, the process environment never reads as request data, workers come back,
Ctrl-C stops at once; and `bitel_mock.wsgi:app` still serves under gunicorn."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests

from tests.e2e.processes import (
    AUTH,
    LISTENING,
    Served,
    clean_env,
    command,
    listening_sockets,
    serving,
    wait_until_healthy,
)

SINGLE = "/api/v2/voice/single"
BODY = {"phoneNumber": "09121234567", "voiceId": "08e815cbcd724386805103ac0d45e4c2"}
TRICKLERS = 16
ANSWERED_WITHIN_SECONDS = 5.0
"""A generous bound for an answer on a busy machine; it only bounds a wait, nothing is timed."""


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def calls(url: str) -> int:
    return requests.get(f"{url}/__admin/health", timeout=10).json()["calls"]


def add_fault(url: str, **fault: object) -> None:
    answer = requests.post(f"{url}/__admin/faults", json=fault, timeout=10)
    assert answer.status_code in (200, 201), answer.text


def newest_entry(url: str) -> dict[str, object] | None:
    entries = requests.get(f"{url}/__admin/requests?limit=1", timeout=10).json()["requests"]
    return entries[0] if entries else None


def wait_for(check: Callable[[], bool], what: str, within: float = 10.0) -> None:
    """Poll `check` until true, failing after `within` seconds."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)  # polling, bounded by the deadline


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = tmp_path_factory.mktemp("granian") / "calls.sqlite3"
    with serving("--store", f"sqlite:///{store}", "--seed", "4") as server:
        yield server


def test_a_normal_client_is_answered_while_16_connections_trickle_their_headers(
    served: Served,
) -> None:
    with ExitStack() as stack:
        tricklers = []
        for index in range(TRICKLERS):
            trickler = stack.enter_context(
                socket.create_connection(("127.0.0.1", port_of(served.url)), timeout=10)
            )
            trickler.sendall(b"GET /__admin/health HTTP/1.1\r\nHo")  # and then nothing, for now
            tricklers.append((index, trickler))
        # Under sync workers the first two tricklers held both workers: this waited 30 s.
        for _ in range(20):
            answer = requests.get(f"{served.url}/__admin/health", timeout=ANSWERED_WITHIN_SECONDS)
            assert answer.status_code == 200
        # The tricklers were held, not dropped: each finishes its head and is answered.
        for index, trickler in tricklers:
            trickler.sendall(
                b"st: localhost\r\nX-Trickler: %d\r\nConnection: close\r\n\r\n" % index
            )
            answer = b""
            while chunk := trickler.recv(65536):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200 OK"), answer[:100]


def test_a_drop_fault_closes_the_connection_without_a_byte_and_places_nothing(
    served: Served,
) -> None:
    before = calls(served.url)
    add_fault(served.url, kind="drop", method="POST", path=SINGLE, times=2)
    with pytest.raises(requests.ConnectionError):
        requests.post(served.url + SINGLE, json=BODY, headers=AUTH, timeout=10)
    with socket.create_connection(("127.0.0.1", port_of(served.url)), timeout=10) as connection:
        connection.sendall(
            b"POST " + SINGLE.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
            b"Authorization: Bearer t\r\nContent-Length: 2\r\n\r\n{}"
        )
        assert connection.recv(65536) == b""
    assert calls(served.url) == before
    entry = newest_entry(served.url)
    assert entry is not None and entry["status"] is None
    assert entry["fault"]["kind"] == "drop"  # type: ignore[index]


def test_a_delay_fault_holds_the_answer_back_and_never_tells(served: Served) -> None:
    before = calls(served.url)
    add_fault(served.url, kind="delay", method="POST", path=SINGLE, seconds=3, times=1)
    with pytest.raises(requests.ReadTimeout):
        requests.post(served.url + SINGLE, json=BODY, headers=AUTH, timeout=0.5)
    assert calls(served.url) == before + 1  # placed before the answer was held back
    add_fault(served.url, kind="delay", method="POST", path=SINGLE, seconds=0.3, times=1)
    started = time.monotonic()
    answer = requests.post(served.url + SINGLE, json=BODY, headers=AUTH, timeout=10)
    assert time.monotonic() - started >= 0.3
    assert answer.status_code == 200 and "X-Bitel-Mock-Delay" not in answer.headers


def test_a_target_of_64_kib_is_granians_own_empty_414(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", port_of(served.url)), timeout=10) as connection:
        connection.sendall(b"GET /" + b"a" * 65_534 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 URI Too Long\r\n") and body == b""
    assert b"content-length: 0" in head.lower() and b"content-type" not in head.lower()


@contextmanager
def serving_with(env: dict[str, str], *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`bitel-mock serve --port 0 ARGS` with extra environment variables; stopped with SIGINT."""
    with tempfile.TemporaryDirectory(prefix="bitel-mock-e2e-") as workdir:
        process = subprocess.Popen(
            command("serve", "--port", "0", "--store", f"sqlite:///{workdir}/calls.sqlite3", *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**clean_env(), **env},
            start_new_session=True,
            cwd=workdir,
        )
        try:
            assert process.stdout is not None
            match = LISTENING.search(process.stdout.readline())
            # The start-up lines are read here: what follows must come from the pipe itself.
            assert process.stdout.readline().startswith("clock real at ")
            assert process.stdout.readline() == f"dashboard: {match.group(1) if match else ''}/__admin/ui/\n"
            assert match, (
                process.stderr.read() if process.stderr and process.poll() is not None else ""
            )
            wait_until_healthy(match.group(1), process)
            yield process, match.group(1)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def test_the_process_environment_never_reads_as_request_data() -> None:
    # granian copies its environment into every request's environ: these would pass for a
    # header, and for the mark of an in-process request (which skips the Host check).
    leaky = {
        "HTTP_X_LEAK": "from-the-environment",
        "bitel_mock.in_process": "1",
        "CONTENT_TYPE": "text/html",
    }
    with serving_with(leaky) as (_, url):
        rebound = requests.get(f"{url}/__admin/calls", headers={"Host": "evil.example"}, timeout=10)
        assert rebound.status_code == 421 and rebound.json()["error"] == "MisdirectedRequest"
        requests.get(f"{url}/api/v2/voice/status/1", headers=AUTH, timeout=10)
        entry = newest_entry(url)
        assert entry is not None
        headers = {name.lower() for name in entry["headers"]}  # type: ignore[union-attr]
        assert "x-leak" not in headers and "content-type" not in headers


def _children(pid: int) -> set[int]:
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def test_a_killed_worker_is_started_again() -> None:
    with serving_with({}, "--workers", "2") as (process, url):
        port = port_of(url)
        # The start-up lines come once one worker answers: the other may still be starting.
        wait_for(lambda: len(_children(process.pid)) == 2, "two workers")
        wait_for(lambda: listening_sockets(port) == 2, "both workers listening")
        first = _children(process.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: (
                len(_children(process.pid) - first) == 1 and victim not in _children(process.pid)
            ),
            "a new worker in place of the killed one",
        )
        wait_for(lambda: listening_sockets(port) == 2, "the new worker listening")
        for _ in range(10):
            assert requests.get(f"{url}/__admin/health", timeout=10).status_code == 200


def test_ctrl_c_stops_at_once_with_a_request_in_flight() -> None:
    with serving_with({}, "--workers", "1") as (process, url):
        add_fault(url, kind="delay", method="POST", path=SINGLE, seconds=60, times=1)
        failures: list[BaseException] = []

        def place() -> None:
            try:
                requests.post(url + SINGLE, json=BODY, headers=AUTH, timeout=120)
            except requests.RequestException as exc:
                failures.append(exc)

        in_flight = threading.Thread(target=place, daemon=True)
        in_flight.start()
        wait_for(
            lambda: (newest_entry(url) or {}).get("path") == SINGLE, "the request held by its delay"
        )
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=10)  # not the 60 s of the delay, nor the 30 s of a graceful stop
        in_flight.join(timeout=10)
        assert not in_flight.is_alive() and len(failures) == 1


def test_start_up_prints_three_lines_and_logs_nothing() -> None:
    with serving_with({}) as (process, url):
        assert requests.get(f"{url}/__admin/health", timeout=10).status_code == 200
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=10) == 0  # a stop right after start waits for no timeout
        assert process.stdout is not None and process.stderr is not None
        out, err = process.stdout.read(), process.stderr.read()  # the text buffers included
    assert out == ""  # after the listening, clock and dashboard lines (read on start)
    assert err == ""


def test_gunicorn_serves_the_module_level_app(tmp_path: Path) -> None:
    env = {**clean_env(), "BITEL_MOCK_STORE": f"sqlite:///{tmp_path}/calls.sqlite3"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--bind",
            "127.0.0.1:0",
            "bitel_mock.wsgi:app",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
        cwd=tmp_path,
    )
    try:
        assert process.stderr is not None
        url = None
        for line in process.stderr:  # gunicorn logs where it listens
            if found := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
                url = found.group(1)
                break
        assert url, "gunicorn never listened"
        wait_until_healthy(url, process)
        placed = requests.post(url + SINGLE, json=BODY, headers=AUTH, timeout=10)
        assert placed.status_code == 200 and placed.json()["result"]["status"] == "WAITING"
        assert requests.get(f"{url}/__admin/health", timeout=10).json()["calls"] == 1
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=40)
