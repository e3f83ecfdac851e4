"""`make bench`: the emulator against the yardsticks, in one interleaved run, over 127.0.0.1 only.

Servers (benchmarks/contenders.py): the emulator as `make run` serves it (SQLite), the same
with the Redis store, the bare Flask echo under gunicorn and under granian, and WireMock with
response templating. Each is started, timed to its first answer, checked to answer every
workload with the echo's shapes, and warmed up (each workload for 2 s, WireMock's JVM for
10 s, not counted). Then BENCH_ROUNDS rounds, each running every workload against every
server in turn (wrk -t2 -c32 --latency, BENCH_SECONDS each), so a busy machine weighs on all
alike; then the memory of each server's process tree, and the slow-clients section against
the emulator (and against the granian echo, as a control).

Prints medians of rps and p99 and the errors of all runs, start-up, memory, and each target
met or missed. Exits 2 on a bad setting or without wrk, 1 if a selected server could not be
measured, else 0 (a missed target is a finding, not a failure of the run).

    .venv/bin/python benchmarks/run.py          # BENCH_SECONDS=2 BENCH_ROUNDS=1 BENCH_ONLY=...
"""

from __future__ import annotations

import compileall
import os
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import report, shapes, slow_clients, wrk
from benchmarks.bench_settings import BenchSettings, SettingsError, from_environment
from benchmarks.contenders import LAUNCHERS, Running, Skipped
from benchmarks.processes import StartFailed, tree_rss_mib

SLOW_CLIENT_SERVERS = ("emulator", "echo-granian")


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _launch(
    settings: BenchSettings, directory: Path, stack: ExitStack
) -> tuple[dict[str, Running], dict[str, str], list[str]]:
    """Start each selected server; return those up, the status id each placed, and problems."""
    running: dict[str, Running] = {}
    call_ids: dict[str, str] = {}
    problems: list[str] = []
    for name in settings.servers:
        workdir = directory / name
        workdir.mkdir()
        _progress(f"starting {name}")
        try:
            server = LAUNCHERS[name](workdir, stack)
            call_ids[name] = shapes.place_call(server.base_url)
            shapes.check(server.base_url, wrk.WORKLOADS, call_ids[name])
        except Skipped as skipped:
            print(f"skipped {name}: {skipped}")
            continue
        except (StartFailed, shapes.WrongShape) as failed:
            problems.append(f"{name} not measured: {failed}")
            continue
        running[name] = server
    return running, call_ids, problems


def _measure(
    settings: BenchSettings,
    running: dict[str, Running],
    call_ids: dict[str, str],
    directory: Path,
) -> dict[str, dict[str, list[wrk.Measurement]]]:
    scripts = {}
    for workload in wrk.WORKLOADS:
        scripts[workload.name] = directory / f"{workload.name.replace(' ', '-')}.lua"
        scripts[workload.name].write_text(wrk.lua_script(workload))
    runs: dict[str, dict[str, list[wrk.Measurement]]] = {
        name: {workload.name: [] for workload in wrk.WORKLOADS} for name in running
    }
    for name, server in running.items():
        _progress(f"warming up {name}: {server.warmup_seconds} s per workload, not counted")
        for workload in wrk.WORKLOADS:
            url = server.base_url + workload.path(call_ids[name])
            wrk.run(url, scripts[workload.name], server.warmup_seconds)
    for round_number in range(1, settings.rounds + 1):
        for workload in wrk.WORKLOADS:
            for name, server in running.items():
                _progress(f"round {round_number}/{settings.rounds}: {workload.name}, {name}")
                url = server.base_url + workload.path(call_ids[name])
                runs[name][workload.name].append(
                    wrk.run(url, scripts[workload.name], settings.seconds)
                )
    return runs


def _slow_clients(
    running: dict[str, Running], call_ids: dict[str, str]
) -> dict[str, slow_clients.SlowClientsResult]:
    results = {}
    for name in SLOW_CLIENT_SERVERS:
        if name in running:
            _progress(f"slow clients: {name} (about {slow_clients.TRICKLE_SECONDS:.0f} s)")
            path = wrk.WORKLOADS[-1].path(call_ids[name])
            results[name] = slow_clients.run(running[name].base_url, path)
    return results


def _print_report(
    settings: BenchSettings,
    running: dict[str, Running],
    runs: dict[str, dict[str, list[wrk.Measurement]]],
    memory: dict[str, float],
    companions: dict[str, float],
    slow: dict[str, slow_clients.SlowClientsResult],
) -> None:
    names = list(running)
    workloads = [workload.name for workload in wrk.WORKLOADS]
    table = {name: {w: report.summarize(runs[name][w]) for w in workloads} for name in names}
    ready = {name: server.ready_seconds for name, server in running.items()}
    print()
    print(
        f"wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS} -d{settings.seconds}s --latency over "
        f"127.0.0.1; {settings.rounds} interleaved round(s); medians of rps and p99"
    )
    for name, server in running.items():
        print(f"- {name}: {server.legend}")
    print()
    print("\n".join(report.table_lines(table, names, workloads)))
    print()
    print("\n".join(report.startup_memory_lines(names, ready, memory, companions)))
    print()
    if "emulator" not in slow:
        print("slow clients: not run (the emulator was not measured)")
    for name, result in slow.items():
        print(f"slow clients, {name}: {report.slow_line(result)}")
    for subject in report.SUBJECTS:
        if subject in running:
            print()
            print("\n".join(report.target_lines(subject, table, workloads, ready, memory, slow)))


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # the report and the progress lines, in order
    try:
        settings = from_environment(os.environ)
    except SettingsError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("bench: wrk not found (apt-get install -y wrk)", file=sys.stderr)
        return 2
    # As a pip install leaves it: the emulator's own bytecode compiled, so the start-up time
    # measured is a start's, not a first import's (an editable install compiles on first use).
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "mock_server", quiet=1)
    with tempfile.TemporaryDirectory(prefix="bitel-bench-") as temp, ExitStack() as stack:
        directory = Path(temp)
        running, call_ids, problems = _launch(settings, directory, stack)
        for problem in problems:
            print(problem)
        if not running:
            print("bench: no server to measure")
            return 1
        try:
            runs = _measure(settings, running, call_ids, directory)
        except wrk.WrkFailed as exc:
            print(f"bench: {exc}")
            return 1
        memory = {name: tree_rss_mib(server.process.pid) for name, server in running.items()}
        companions = {
            name: tree_rss_mib(server.companion.pid)
            for name, server in running.items()
            if server.companion is not None
        }
        slow = _slow_clients(running, call_ids)
    _print_report(settings, running, runs, memory, companions, slow)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
