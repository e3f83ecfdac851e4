"""`make bench`'s load: the workloads, the Lua script that sends them, reading wrk's output."""

from __future__ import annotations

import json
import re

import pytest

from benchmarks.wrk import (
    AUTH,
    CONNECTIONS,
    THREADS,
    WORKLOADS,
    Measurement,
    WrkFailed,
    batch_body,
    lua_script,
    parse,
)

# wrk 4.1.0, --latency, against a server answering 404 to everything.
OUTPUT_404 = """\
Running 1s test @ http://127.0.0.1:18944/nope
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.79ms    2.84ms  26.12ms   87.42%
    Req/Sec   556.80     74.39   670.00     55.00%
  Latency Distribution
     50%    3.02ms
     75%    4.75ms
     90%    6.72ms
     99%   18.60ms
  1109 requests in 1.00s, 563.16KB read
  Non-2xx or 3xx responses: 1109
Requests/sec:   1104.23
Transfer/sec:    560.74KB
"""


def test_wrk_runs_with_2_threads_and_32_connections() -> None:
    assert (THREADS, CONNECTIONS) == (2, 32)


def test_the_workloads_are_batches_of_2_and_100_numbers_and_a_status_read() -> None:
    assert [(w.name, w.method, w.numbers) for w in WORKLOADS] == [
        ("batch 2", "POST", 2),
        ("batch 100", "POST", 100),
        ("status", "GET", None),
    ]
    assert WORKLOADS[0].path("x") == "/api/v2/voice/batch"
    assert WORKLOADS[2].path("abc") == "/api/v2/voice/status/abc"


@pytest.mark.parametrize("count", [2, 100])
def test_a_batch_body_holds_that_many_distinct_local_numbers(count: int) -> None:
    numbers = json.loads(batch_body(count))["phoneNumbers"]
    assert len(set(numbers)) == count
    assert all(re.fullmatch(r"09\d{9}", number) for number in numbers)


def test_the_lua_script_of_a_batch_sends_its_json_body_with_the_token() -> None:
    script = lua_script(WORKLOADS[1])
    assert 'wrk.method = "POST"' in script
    assert f'wrk.headers["Authorization"] = "{AUTH}"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    [literal] = re.findall(r"^wrk\.body = (.*)$", script, re.MULTILINE)
    assert literal.isascii() and "\\u" not in literal  # so the JSON literal is a Lua literal too
    assert json.loads(json.loads(literal)) == json.loads(batch_body(100))


def test_the_lua_script_of_a_status_read_sends_no_body() -> None:
    script = lua_script(WORKLOADS[2])
    assert 'wrk.method = "GET"' in script
    assert "wrk.body" not in script and "Content-Type" not in script


def test_wrk_output_gives_rps_p99_and_non_2xx_answers_as_errors() -> None:
    assert parse(OUTPUT_404) == Measurement(rps=1104.23, p99_ms=18.60, errors=1109)


def test_socket_errors_count_as_errors_too() -> None:
    output = OUTPUT_404.replace(
        "  Non-2xx or 3xx responses: 1109\n",
        "  Socket errors: connect 1, read 2, write 3, timeout 4\n",
    )
    assert parse(output).errors == 10


def test_a_clean_run_has_no_errors() -> None:
    output = OUTPUT_404.replace("  Non-2xx or 3xx responses: 1109\n", "")
    assert parse(output).errors == 0


@pytest.mark.parametrize(
    ("printed", "ms"),
    [("850.00us", 0.85), ("18.60ms", 18.6), ("1.02s", 1020.0), ("1.50m", 90_000.0)],
)
def test_p99_is_read_in_milliseconds_whatever_unit_wrk_prints(printed: str, ms: float) -> None:
    output = OUTPUT_404.replace("99%   18.60ms", f"99%   {printed}")
    assert parse(output).p99_ms == pytest.approx(ms)


@pytest.mark.parametrize("missing", ["Requests/sec:   1104.23\n", "     99%   18.60ms\n"])
def test_output_without_its_figures_is_refused(missing: str) -> None:
    with pytest.raises(WrkFailed):
        parse(OUTPUT_404.replace(missing, ""))


def test_a_latency_in_an_unknown_unit_is_refused() -> None:
    with pytest.raises(WrkFailed, match="latency"):
        parse(OUTPUT_404.replace("18.60ms", "18.60ns"))
