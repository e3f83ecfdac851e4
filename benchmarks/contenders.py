"""The servers measured side by side, each started on a free loopback port and stopped on leaving
the caller's ExitStack; a contender whose tool is missing is skipped with the reason.

- emulator: `bitel-mock serve` exactly as `make run` starts it (SQLite store, 2 workers), so
  whatever server the CLI uses is what is measured;
- emulator-redis: the same with the Redis store, on a redis-server of its own;
- echo-gunicorn, echo-granian: benchmarks/echo_app.py (bare Flask, same shapes, no validation,
  no state) under gunicorn (2 sync workers) and under granian (2 workers, WSGI);
- wiremock: WireMock standalone answering the same shapes by response templating.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from benchmarks import redis_server, wiremock
from benchmarks.processes import free_port, start, stop

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = 2
ECHO_APP = "benchmarks.echo_app:app"
_ANY_ID = "0" * 32
# Uncounted load of each workload before the rounds: pools and caches fill; a JVM also compiles
# its hot paths, which takes it far longer (WireMock's rps still climbs after seconds of load).
WARMUP_SECONDS = 2
JVM_WARMUP_SECONDS = 10


@dataclass
class Running:
    name: str
    legend: str
    base_url: str
    process: subprocess.Popen[bytes]
    ready_seconds: float
    companion: subprocess.Popen[bytes] | None = None  # a store process weighed apart
    warmup_seconds: int = WARMUP_SECONDS


class Skipped(Exception):
    """A contender cannot run here; the message says why and how to get it."""


def _serve_environment() -> dict[str, str]:
    """The caller's environment without BITEL_MOCK_* settings, so only the flags below count."""
    return {key: value for key, value in os.environ.items() if not key.startswith("BITEL_MOCK_")}


def serve_command(port: int, store_url: str) -> list[str]:
    """`make run`'s command line (its `run` recipe) with this port and store."""
    return [str(BIN / "bitel-mock"), "serve", "--host", "127.0.0.1", "--port", str(port),
            "--store", store_url, "--workers", str(WORKERS)]  # fmt: skip


def _serve(name: str, legend: str, store_url: str, workdir: Path, stack: ExitStack) -> Running:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = start(
        serve_command(port, store_url),
        f"{base}/__admin/health",
        log=workdir / "server.log",
        cwd=ROOT,
        env=_serve_environment(),
    )
    stack.callback(stop, started.process)
    return Running(name, legend, base, started.process, started.ready_seconds)


def emulator(workdir: Path, stack: ExitStack) -> Running:
    return _serve(
        "emulator",
        "bitel-mock serve, SQLite in a temp dir, 2 workers, full validation",
        f"sqlite:///{workdir}/bitel-mock.sqlite3",
        workdir,
        stack,
    )


def emulator_redis(workdir: Path, stack: ExitStack) -> Running:
    server = redis_server.binary()
    if server is None:
        raise Skipped("redis-server not found (apt-get install -y redis-server)")
    if importlib.util.find_spec("redis") is None:
        raise Skipped("the redis extra is not installed (pip install 'bitel-mock[redis]')")
    redis, url = redis_server.start(server, workdir / "redis")
    stack.callback(stop, redis)
    running = _serve(
        "emulator-redis",
        "bitel-mock serve, Redis store (own redis-server, no persistence), 2 workers",
        url,
        workdir,
        stack,
    )
    running.companion = redis
    return running


def _echo(
    name: str, legend: str, command: list[str], port: int, workdir: Path, stack: ExitStack
) -> Running:
    base = f"http://127.0.0.1:{port}"
    started = start(
        command, f"{base}/api/v2/voice/status/{_ANY_ID}", log=workdir / "server.log", cwd=ROOT
    )
    stack.callback(stop, started.process)
    return Running(name, legend, base, started.process, started.ready_seconds)


def echo_gunicorn_command(port: int) -> list[str]:
    """The echo app under gunicorn: 2 sync workers on loopback."""
    return [str(BIN / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "--log-level", "warning",
            "-b", f"127.0.0.1:{port}", ECHO_APP]  # fmt: skip


def echo_granian_command(port: int) -> list[str]:
    """The echo app under granian: 2 workers, WSGI interface, on loopback."""
    return [str(BIN / "granian"), "--interface", "wsgi", "--workers", str(WORKERS),
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
            ECHO_APP]  # fmt: skip


def echo_gunicorn(workdir: Path, stack: ExitStack) -> Running:
    port = free_port()
    legend = "bare Flask echo, gunicorn, 2 sync workers"
    return _echo("echo-gunicorn", legend, echo_gunicorn_command(port), port, workdir, stack)


def echo_granian(workdir: Path, stack: ExitStack) -> Running:
    if not (BIN / "granian").exists():
        raise Skipped(f"granian not installed ({BIN}/pip install -c constraints.txt granian)")
    port = free_port()
    legend = "bare Flask echo, granian, 2 workers, WSGI"
    return _echo("echo-granian", legend, echo_granian_command(port), port, workdir, stack)


def wiremock_templated(workdir: Path, stack: ExitStack) -> Running:
    java = shutil.which("java")
    if java is None:
        raise Skipped("java not found (apt-get install -y default-jre-headless)")
    if not wiremock.JAR.exists():
        raise Skipped(
            f"{wiremock.JAR} not found (npm install --prefix {wiremock.CACHE} "
            f"wiremock@{wiremock.VERSION})"
        )
    port = free_port()
    command = wiremock.command(java, wiremock.write_root(workdir / "root"), port)
    running = _echo(
        "wiremock",
        f"WireMock {wiremock.VERSION} standalone, response templating, default container threads",
        command,
        port,
        workdir,
        stack,
    )
    running.warmup_seconds = JVM_WARMUP_SECONDS
    return running


LAUNCHERS: dict[str, Callable[[Path, ExitStack], Running]] = {
    "emulator": emulator,
    "emulator-redis": emulator_redis,
    "echo-gunicorn": echo_gunicorn,
    "echo-granian": echo_granian,
    "wiremock": wiremock_templated,
}
