"""`make bench`'s report: medians over rounds, the table, and each target met or missed at its
documented limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import report
from benchmarks.report import Summary, summarize, table_lines, target_lines
from benchmarks.slow_clients import SlowClientsResult
from benchmarks.wrk import Measurement

WORKLOADS = ["batch 2", "batch 100", "status"]


def _table(**rps: float) -> dict[str, dict[str, Summary]]:
    """Every workload at the given rps per server, p99 10 ms, no errors."""
    return {name: {w: Summary(value, 10.0, 0) for w in WORKLOADS} for name, value in rps.items()}


def _targets(
    table: dict[str, dict[str, Summary]],
    *,
    ready: float = 0.1,
    memory: float = 100.0,
    slow: dict[str, SlowClientsResult] | None = None,
) -> list[str]:
    return target_lines(
        "emulator", table, WORKLOADS, {"emulator": ready}, {"emulator": memory}, slow or {}
    )


def _line(lines: list[str], start: str) -> str:
    [found] = [line for line in lines if line.startswith(start)]
    return found


def test_the_documented_limits() -> None:
    assert report.WIREMOCK_RATIO_AT_LEAST == 1.1
    assert report.WIREMOCK_RATIO_WORKLOAD == "batch 100"
    assert report.GRANIAN_RATIO_AT_LEAST == 0.6
    assert report.P99_AT_MOST_MS == 20.0
    assert report.READY_BELOW_SECONDS == 0.5
    assert report.MEMORY_AT_MOST_MIB == 150.0


@given(
    st.lists(
        st.tuples(st.floats(1, 1e6), st.floats(0.01, 1e4), st.integers(0, 1000)),
        min_size=1,
        max_size=7,
    )
)
def test_a_summary_is_the_median_rps_and_p99_and_all_the_errors(
    rounds: list[tuple[float, float, int]],
) -> None:
    summary = summarize([Measurement(*figures) for figures in rounds])
    rps, p99 = sorted(r[0] for r in rounds), sorted(r[1] for r in rounds)
    assert min(rps) <= summary.rps <= max(rps)
    assert sum(value < summary.rps for value in rps) <= len(rps) // 2
    assert sum(value > summary.rps for value in rps) <= len(rps) // 2
    assert sum(value > summary.p99_ms for value in p99) <= len(p99) // 2
    assert summary.errors == sum(r[2] for r in rounds)


def test_three_rounds_give_the_middle_one() -> None:
    runs = [Measurement(100, 9, 1), Measurement(300, 5, 0), Measurement(200, 7, 2)]
    assert summarize(runs) == Summary(200, 7, 3)


def test_the_table_has_a_row_per_workload_and_an_rps_and_p99_column_per_server() -> None:
    table = _table(emulator=1234.4, wiremock=99.6)
    lines = table_lines(table, ["emulator", "wiremock"], WORKLOADS)
    assert lines[0] == "| workload | emulator rps | p99 ms | wiremock rps | p99 ms |"
    assert lines[2] == "| batch 2 | 1,234 | 10.0 | 100 | 10.0 |"
    assert [line.split(" | ")[0] for line in lines[2:]] == [
        "| batch 2",
        "| batch 100",
        "| status",
        "| errors (all runs)",
    ]
    assert all(line.count("|") == lines[0].count("|") for line in lines)


@pytest.mark.parametrize(("emulator", "met"), [(110.0, True), (109.9, False)])
def test_the_wiremock_ratio_is_met_from_1_1_times_at_100_numbers(
    emulator: float, met: bool
) -> None:
    line = _line(_targets(_table(emulator=emulator, wiremock=100.0)), "- emulator / wiremock")
    assert "batch 100" in line
    assert line.endswith(": met" if met else ": MISSED")


@pytest.mark.parametrize(("emulator", "met"), [(60.0, True), (59.9, False)])
def test_the_granian_ratio_is_met_from_0_6_times_on_each_workload(
    emulator: float, met: bool
) -> None:
    lines = [
        line
        for line in _targets(_table(emulator=emulator, **{"echo-granian": 100.0}))
        if line.startswith("- emulator / echo-granian")
    ]
    assert len(lines) == 3
    assert all(line.endswith(": met" if met else ": MISSED") for line in lines)


def test_ratios_against_a_server_not_run_are_not_applicable() -> None:
    lines = _targets(_table(emulator=100.0))
    assert "- emulator / wiremock: n/a (wiremock not run)" in lines
    assert "- emulator / echo-granian: n/a (echo-granian not run)" in lines


@pytest.mark.parametrize(("p99", "met"), [(20.0, True), (20.1, False)])
def test_p99_is_met_up_to_20_ms(p99: float, met: bool) -> None:
    table = _table(emulator=100.0)
    table["emulator"]["status"] = Summary(100.0, p99, 0)
    line = _line(_targets(table), "- p99, status")
    assert line.endswith(": met" if met else ": MISSED")


@pytest.mark.parametrize(("seconds", "met"), [(0.49, True), (0.5, False)])
def test_start_up_is_met_below_half_a_second(seconds: float, met: bool) -> None:
    line = _line(_targets(_table(emulator=100.0), ready=seconds), "- start to first answer")
    assert line.endswith(": met" if met else ": MISSED")


@pytest.mark.parametrize(("mib", "met"), [(150.0, True), (150.5, False)])
def test_memory_is_met_up_to_150_mib(mib: float, met: bool) -> None:
    line = _line(_targets(_table(emulator=100.0), memory=mib), "- memory after load")
    assert line.endswith(": met" if met else ": MISSED")


@pytest.mark.parametrize(
    ("latencies", "met"),
    [((0.2,) * 19 + (1.0,), True), ((0.2,) * 19 + (1.01,), False), ((0.2,) * 19 + (None,), False)],
)
def test_slow_clients_are_met_when_every_read_is_answered_within_1_s(
    latencies: tuple[float | None, ...], met: bool
) -> None:
    slow = {"emulator": SlowClientsResult(latencies, 16)}
    line = _line(_targets(_table(emulator=100.0), slow=slow), "- slow clients")
    assert line.endswith(": met" if met else ": MISSED")


def test_the_slow_clients_line_gives_the_counts_and_the_slowest_read() -> None:
    result = SlowClientsResult((0.5, 2.25, None, None), 16)
    line = report.slow_line(result)
    assert line.startswith("2/4 reads answered, 1 within 1 s, slowest 2.25 s, 2 without an answer")
    assert SlowClientsResult((None,), 16).slowest is None
    assert "none answered" in report.slow_line(SlowClientsResult((None,), 16))


def test_no_reads_is_not_a_met_target() -> None:
    assert not SlowClientsResult((), 16).met
