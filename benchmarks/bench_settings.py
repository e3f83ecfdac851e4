"""What one `make bench` run is asked to do, read from the environment.

BENCH_SECONDS (default 5): length of each wrk run, whole seconds, 1 to 600.
BENCH_ROUNDS (default 3): interleaved rounds, 1 to 20.
BENCH_ONLY (default: every server): a comma list of server names to run a subset.
A bad value is refused with a message that names the variable and what it takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SERVER_NAMES = ("emulator", "emulator-redis", "echo-gunicorn", "echo-granian", "wiremock")
DEFAULT_SECONDS = 5
DEFAULT_ROUNDS = 3
MAX_SECONDS = 600
MAX_ROUNDS = 20


class SettingsError(ValueError):
    """An environment variable of the benchmark holds a value it cannot use."""


@dataclass(frozen=True)
class BenchSettings:
    seconds: int
    rounds: int
    servers: tuple[str, ...]


def _bounded_int(env: Mapping[str, str], name: str, default: int, most: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= most:
        raise SettingsError(f"{name} must be a whole number from 1 to {most}, not {text!r}")
    return int(text)


def _servers(env: Mapping[str, str]) -> tuple[str, ...]:
    text = env.get("BENCH_ONLY", "").strip()
    if not text:
        return SERVER_NAMES
    asked = {name.strip() for name in text.split(",") if name.strip()}
    unknown = sorted(asked - set(SERVER_NAMES))
    if unknown or not asked:
        raise SettingsError(
            f"BENCH_ONLY names no known server ({', '.join(unknown) or text!r}); "
            f"known: {', '.join(SERVER_NAMES)}"
        )
    return tuple(name for name in SERVER_NAMES if name in asked)


def from_environment(env: Mapping[str, str]) -> BenchSettings:
    """The settings of a run; servers keep the order of SERVER_NAMES whatever BENCH_ONLY's order."""
    return BenchSettings(
        seconds=_bounded_int(env, "BENCH_SECONDS", DEFAULT_SECONDS, MAX_SECONDS),
        rounds=_bounded_int(env, "BENCH_ROUNDS", DEFAULT_ROUNDS, MAX_ROUNDS),
        servers=_servers(env),
    )
