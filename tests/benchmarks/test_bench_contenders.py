"""`make bench`'s servers are started as documented: the emulator exactly as `make run` starts
it, the echo under gunicorn and granian with 2 workers, and the tools pinned where installed."""

from __future__ import annotations

import dataclasses
import re
from contextlib import ExitStack
from pathlib import Path

import pytest

from benchmarks import contenders, run, wiremock
from benchmarks.bench_settings import BenchSettings
from benchmarks.contenders import (
    BIN,
    echo_granian_command,
    echo_gunicorn_command,
    serve_command,
)

ROOT = Path(__file__).resolve().parent.parent.parent
MAKEFILE = (ROOT / "Makefile").read_text()


def _recipe(target: str) -> list[str]:
    found = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", MAKEFILE, re.MULTILINE)
    assert found, f"no {target} target in the Makefile"
    return [line.strip() for line in found.group(1).splitlines()]


def _default(variable: str) -> str:
    found = re.search(rf"^{variable} \?= (.*)$", MAKEFILE, re.MULTILINE)
    assert found, f"no default for {variable} in the Makefile"
    return found.group(1).strip()


def test_the_emulator_is_started_as_make_run_starts_it() -> None:
    [line] = _recipe("run")
    values = {"HOST": _default("HOST"), "PORT": "5123", "WORKERS": _default("WORKERS"),
              "STORE": "sqlite:////tmp/x.sqlite3", "ARGS": "", "BIN": str(BIN)}  # fmt: skip
    expected = re.sub(r"\$\((\w+)\)", lambda m: values[m.group(1)], line).split()
    assert serve_command(5123, "sqlite:////tmp/x.sqlite3") == expected


def test_the_emulator_runs_on_loopback_with_2_workers() -> None:
    command = serve_command(5123, "memory")
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--workers") + 1] == "2"


def test_the_gunicorn_echo_runs_2_sync_workers_on_loopback() -> None:
    command = echo_gunicorn_command(5123)
    assert command[0] == str(BIN / "gunicorn")
    assert command[command.index("-w") + 1] == "2"
    assert command[command.index("-k") + 1] == "sync"
    assert command[command.index("-b") + 1] == "127.0.0.1:5123"
    assert command[-1] == "benchmarks.echo_app:app"


def test_the_granian_echo_runs_2_wsgi_workers_on_loopback() -> None:
    command = echo_granian_command(5123)
    assert command[0] == str(BIN / "granian")
    assert command[command.index("--interface") + 1] == "wsgi"
    assert command[command.index("--workers") + 1] == "2"
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "5123"
    assert command[-1] == "benchmarks.echo_app:app"


def test_make_bench_installs_its_tools_then_runs_the_benchmark() -> None:
    assert _recipe("bench") == [
        "sh benchmarks/install_tools.sh $(BIN)",
        "$(BIN)/python benchmarks/run.py",
    ]


def test_granian_is_pinned_to_2_8_9() -> None:
    pins = (ROOT / "constraints.txt").read_text().splitlines()
    assert "granian==2.8.9" in pins


def test_the_wiremock_jar_installed_is_the_one_run() -> None:
    script = (ROOT / "benchmarks" / "install_tools.sh").read_text()
    assert f"WIREMOCK_VERSION={wiremock.VERSION}\n" in script
    assert "CACHE=benchmarks/.cache\n" in script
    assert wiremock.VERSION == "3.13.2"
    assert wiremock.CACHE == ROOT / "benchmarks" / ".cache"
    jar = "$CACHE/node_modules/wiremock/build/wiremock-standalone-$WIREMOCK_VERSION.jar"
    assert f"JAR={jar}\n" in script
    assert (
        wiremock.CACHE
        / "node_modules/wiremock/build"
        / (f"wiremock-standalone-{wiremock.VERSION}.jar")
        == wiremock.JAR
    )


def test_the_cache_of_tools_is_not_committed() -> None:
    assert "benchmarks/.cache/" in (ROOT / ".gitignore").read_text().splitlines()


def test_without_redis_server_the_redis_column_is_skipped_with_a_printed_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(contenders.redis_server, "binary", lambda: None)
    settings = BenchSettings(seconds=1, rounds=1, servers=("emulator-redis",))
    with ExitStack() as stack:
        running, call_ids, problems = run._launch(settings, tmp_path, stack)
    assert (running, call_ids, problems) == ({}, {}, [])
    printed = capsys.readouterr().out
    assert printed == (
        "skipped emulator-redis: redis-server not found (apt-get install -y redis-server)\n"
    )


def test_without_the_jar_wiremock_is_skipped_naming_the_npm_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(contenders.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(wiremock, "JAR", tmp_path / "absent.jar")
    with ExitStack() as stack, pytest.raises(contenders.Skipped, match=r"wiremock@3\.13\.2"):
        contenders.wiremock_templated(tmp_path, stack)


def test_each_server_warms_up_2_s_per_workload_and_the_jvm_10_s() -> None:
    assert contenders.WARMUP_SECONDS == 2
    assert contenders.JVM_WARMUP_SECONDS == 10
    defaults = {field.name: field.default for field in dataclasses.fields(contenders.Running)}
    assert defaults["warmup_seconds"] == 2
