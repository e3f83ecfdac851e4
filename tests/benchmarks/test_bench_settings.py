"""`make bench`'s settings: BENCH_SECONDS, BENCH_ROUNDS and BENCH_ONLY, defaults and bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.bench_settings import (
    SERVER_NAMES,
    BenchSettings,
    SettingsError,
    from_environment,
)
from benchmarks.contenders import LAUNCHERS


def test_the_defaults_are_5_seconds_3_rounds_and_every_server() -> None:
    assert from_environment({}) == BenchSettings(
        seconds=5,
        rounds=3,
        servers=("emulator", "emulator-redis", "echo-gunicorn", "echo-granian", "wiremock"),
    )


def test_blank_values_mean_the_defaults() -> None:
    blank = {"BENCH_SECONDS": " ", "BENCH_ROUNDS": "", "BENCH_ONLY": "  "}
    assert from_environment(blank) == from_environment({})


def test_every_server_name_has_a_launcher() -> None:
    assert tuple(LAUNCHERS) == SERVER_NAMES


@pytest.mark.parametrize(("name", "most"), [("BENCH_SECONDS", 600), ("BENCH_ROUNDS", 20)])
def test_whole_numbers_from_1_to_the_most_are_taken(name: str, most: int) -> None:
    field = "seconds" if name == "BENCH_SECONDS" else "rounds"
    assert getattr(from_environment({name: "1"}), field) == 1
    assert getattr(from_environment({name: f" {most} "}), field) == most


@pytest.mark.parametrize("name", ["BENCH_SECONDS", "BENCH_ROUNDS"])
@pytest.mark.parametrize("value", ["0", "-1", "2.5", "five", "601", "1e3", "٣"])
def test_a_bad_number_is_refused_naming_the_variable(name: str, value: str) -> None:
    if name == "BENCH_ROUNDS" and value == "601":
        value = "21"
    with pytest.raises(SettingsError, match=name) as refused:
        from_environment({name: value})
    assert repr(value) in str(refused.value)


@given(st.lists(st.sampled_from(SERVER_NAMES), min_size=1), st.sampled_from(["", " "]))
def test_bench_only_runs_the_named_servers_in_the_usual_order(names: list[str], pad: str) -> None:
    chosen = from_environment({"BENCH_ONLY": ",".join(pad + name + pad for name in names)})
    assert chosen.servers == tuple(name for name in SERVER_NAMES if name in names)


@pytest.mark.parametrize("value", ["granian", "emulator,redis", ",,"])
def test_bench_only_refuses_an_unknown_name_and_lists_the_known_ones(value: str) -> None:
    with pytest.raises(SettingsError, match="BENCH_ONLY") as refused:
        from_environment({"BENCH_ONLY": value})
    assert "known: emulator, emulator-redis, echo-gunicorn, echo-granian, wiremock" in str(
        refused.value
    )
