"""The printed report: medians over the rounds, one table (rows: workloads; columns: each
server's requests per second and p99), start-up and memory, and each target met or missed.

Targets, for the emulator (and the same figures for the Redis-backed emulator):
- rps at 100 numbers >= 1.1 x WireMock's;
- rps >= 0.6 x the granian echo's, per workload;
- p99 <= 20 ms, per workload;
- start to first answer < 0.5 s;
- resident memory after load (master + workers) <= 150 MiB;
- slow clients: every read answered within 1 s.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from benchmarks.slow_clients import READ_TIMEOUT_SECONDS, TARGET_SECONDS, SlowClientsResult
from benchmarks.wrk import Measurement

WIREMOCK_RATIO_AT_LEAST = 1.1
WIREMOCK_RATIO_WORKLOAD = "batch 100"
GRANIAN_RATIO_AT_LEAST = 0.6
P99_AT_MOST_MS = 20.0
READY_BELOW_SECONDS = 0.5
MEMORY_AT_MOST_MIB = 150.0
SUBJECTS = ("emulator", "emulator-redis")


@dataclass(frozen=True)
class Summary:
    """One server on one workload over all rounds: median rps and p99, errors summed."""

    rps: float
    p99_ms: float
    errors: int


def summarize(runs: Sequence[Measurement]) -> Summary:
    return Summary(
        statistics.median(run.rps for run in runs),
        statistics.median(run.p99_ms for run in runs),
        sum(run.errors for run in runs),
    )


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


Table = Mapping[str, Mapping[str, Summary]]  # server -> workload -> summary


def table_lines(table: Table, servers: Sequence[str], workloads: Sequence[str]) -> list[str]:
    header = "| workload | " + " | ".join(f"{name} rps | p99 ms" for name in servers) + " |"
    lines = [header, "|---" * (1 + 2 * len(servers)) + "|"]
    for workload in workloads:
        cells = [
            f"{table[name][workload].rps:,.0f} | {table[name][workload].p99_ms:.1f}"
            for name in servers
        ]
        lines.append(f"| {workload} | " + " | ".join(cells) + " |")
    errors = [f"{sum(table[name][w].errors for w in workloads)} |" for name in servers]
    lines.append("| errors (all runs) | " + " | ".join(errors) + " |")
    return lines


def _ratio_line(label: str, mine: float, theirs: float, at_least: float) -> str:
    ratio = mine / theirs if theirs else 0.0
    return f"- {label}: {ratio:.2f}x (target >= {at_least}x): {verdict(ratio >= at_least)}"


def target_lines(
    subject: str,
    table: Table,
    workloads: Sequence[str],
    ready: Mapping[str, float],
    memory: Mapping[str, float],
    slow: Mapping[str, SlowClientsResult],
) -> list[str]:
    """Each target of `subject`, with its figure and whether it is met; n/a when not measured."""
    mine = table[subject]
    lines = [f"targets, {subject}:"]
    if "wiremock" in table:
        lines.append(
            _ratio_line(
                f"{subject} / wiremock rps, {WIREMOCK_RATIO_WORKLOAD}",
                mine[WIREMOCK_RATIO_WORKLOAD].rps,
                table["wiremock"][WIREMOCK_RATIO_WORKLOAD].rps,
                WIREMOCK_RATIO_AT_LEAST,
            )
        )
    else:
        lines.append(f"- {subject} / wiremock: n/a (wiremock not run)")
    for workload in workloads:
        if "echo-granian" in table:
            lines.append(
                _ratio_line(
                    f"{subject} / echo-granian rps, {workload}",
                    mine[workload].rps,
                    table["echo-granian"][workload].rps,
                    GRANIAN_RATIO_AT_LEAST,
                )
            )
    if "echo-granian" not in table:
        lines.append(f"- {subject} / echo-granian: n/a (echo-granian not run)")
    for workload in workloads:
        p99 = mine[workload].p99_ms
        lines.append(
            f"- p99, {workload}: {p99:.1f} ms (target <= {P99_AT_MOST_MS:.0f} ms): "
            f"{verdict(p99 <= P99_AT_MOST_MS)}"
        )
    seconds = ready[subject]
    lines.append(
        f"- start to first answer: {seconds:.2f} s (target < {READY_BELOW_SECONDS} s): "
        f"{verdict(seconds < READY_BELOW_SECONDS)}"
    )
    mib = memory[subject]
    lines.append(
        f"- memory after load, master + workers: {mib:.0f} MiB "
        f"(target <= {MEMORY_AT_MOST_MIB:.0f} MiB): {verdict(mib <= MEMORY_AT_MOST_MIB)}"
    )
    if subject in slow:
        lines.append(f"- slow clients: {slow_line(slow[subject])}")
    return lines


def slow_line(result: SlowClientsResult) -> str:
    reads = len(result.latencies)
    slowest = "none answered" if result.slowest is None else f"slowest {result.slowest:.2f} s"
    unanswered = reads - result.answered
    return (
        f"{result.answered}/{reads} reads answered, {result.within_target} within "
        f"{TARGET_SECONDS:.0f} s, {slowest}, {unanswered} without an answer in "
        f"{READ_TIMEOUT_SECONDS:.0f} s ({result.tricklers_connected} tricklers connected) "
        f"(target: all within {TARGET_SECONDS:.0f} s): {verdict(result.met)}"
    )


def startup_memory_lines(
    servers: Sequence[str],
    ready: Mapping[str, float],
    memory: Mapping[str, float],
    companions: Mapping[str, float],
) -> list[str]:
    lines = ["| server | start to first answer (s) | memory after load (MiB) |", "|---|---|---|"]
    for name in servers:
        extra = f" (+ {companions[name]:.0f} store)" if name in companions else ""
        lines.append(f"| {name} | {ready[name]:.2f} | {memory[name]:.0f}{extra} |")
    return lines
