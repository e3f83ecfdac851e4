"""`serve`'s store and worker options: defaults, environment, precedence and refusals."""

from __future__ import annotations

import sys

import pytest

from bitel_mock.cli import (
    DEFAULT_THREADS,
    MAX_THREADS,
    CliError,
    ServeOptions,
    build_parser,
    main,
    serve_options_from,
)
from bitel_mock.extras import MissingExtra
from bitel_mock.store.url import (
    DEFAULT_STORE_URL,
    StoreUrlError,
    check_store_url,
    open_store,
    sqlite_path,
)


def options(*argv: str) -> ServeOptions:
    return serve_options_from(build_parser().parse_args(["serve", *argv]))


@pytest.fixture(autouse=True)
def _no_store_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BITEL_MOCK_STORE", raising=False)
    monkeypatch.delenv("BITEL_MOCK_WORKERS", raising=False)
    monkeypatch.delenv("BITEL_MOCK_THREADS", raising=False)


def test_defaults_are_the_sqlite_file_two_workers_and_four_threads() -> None:
    assert options() == ServeOptions(store_url="sqlite:///bitel-mock.sqlite3", workers=2, threads=4)
    assert DEFAULT_STORE_URL == "sqlite:///bitel-mock.sqlite3"
    assert (DEFAULT_THREADS, MAX_THREADS) == (4, 256)


def test_threads_come_from_the_command_line_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BITEL_MOCK_THREADS", "12")
    assert options().threads == 12
    assert options("--threads", "1").threads == 1
    assert options("--threads", "256").threads == 256


@pytest.mark.parametrize("threads", ["0", "257", "-3"])
def test_threads_out_of_range_are_one_line_errors(threads: str) -> None:
    with pytest.raises(CliError, match=f"threads must be from 1 to 256, not {threads}"):
        options("--threads", threads)


def test_the_environment_sets_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BITEL_MOCK_STORE", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("BITEL_MOCK_WORKERS", "4")
    assert options() == ServeOptions(store_url="redis://127.0.0.1:6379/2", workers=4)


def test_the_command_line_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BITEL_MOCK_STORE", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("BITEL_MOCK_WORKERS", "4")
    assert options("--store", "sqlite:////tmp/x.sqlite3", "--workers", "3") == ServeOptions("sqlite:////tmp/x.sqlite3", 3)


def test_memory_defaults_to_one_worker_and_refuses_more() -> None:
    assert options("--store", "memory").workers == 1
    with pytest.raises(CliError, match="memory store"):
        options("--store", "memory", "--workers", "2")


@pytest.mark.parametrize("argv", [("--workers", "0"), ("--store", "mysql://x"), ("--store", "sqlite:///")])
def test_bad_values_are_cli_errors(argv: tuple[str, ...]) -> None:
    with pytest.raises(CliError):
        options(*argv)


def test_bad_workers_in_the_environment_is_a_cli_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BITEL_MOCK_WORKERS", "many")
    with pytest.raises(CliError, match="BITEL_MOCK_WORKERS"):
        options()


def test_sqlite_urls_follow_the_three_and_four_slash_convention() -> None:
    assert sqlite_path("sqlite:///calls.sqlite3") == "calls.sqlite3"
    assert sqlite_path("sqlite:////var/lib/calls.sqlite3") == "/var/lib/calls.sqlite3"
    with pytest.raises(StoreUrlError):
        check_store_url("calls.sqlite3")


REDIS_ADVICE = "a redis:// store needs the redis extra, which is not installed: pip install 'bitel-mock[redis]'"


@pytest.fixture
def without_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the redis package were not installed."""
    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.delitem(sys.modules, "bitel_mock.store.redis", raising=False)


@pytest.mark.usefixtures("without_redis")
def test_a_redis_store_without_its_extra_names_the_extra() -> None:
    with pytest.raises(MissingExtra) as refused:
        open_store("redis://127.0.0.1:6379/0")
    assert str(refused.value) == REDIS_ADVICE


@pytest.mark.usefixtures("without_redis")
def test_serve_on_redis_without_its_extra_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "0", "--store", "redis://127.0.0.1:6379/0"]) == 2
    assert capsys.readouterr().err == f"bitel-mock: {REDIS_ADVICE}\n"
