"""`--shared-projects` (BITEL_MOCK_SHARED_PROJECTS): off by default; the flag alone, or a
true/false value, on the command line or in the environment; a value that is neither is a
one-line error."""

from __future__ import annotations

import os

import pytest

from bitel_mock.app import create_app
from bitel_mock.cli import ENV_PREFIX, OPTIONS, CliError, build_parser, main, settings_from
from tests.projects.steps import TOKEN_A, TOKEN_B, call_status, place_call

ENV = "BITEL_MOCK_SHARED_PROJECTS"


@pytest.fixture(autouse=True)
def _no_configuration_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def _shared(*argv: str) -> bool:
    return settings_from(build_parser().parse_args(["serve", *argv])).shared_projects


def test_the_option_is_named_and_documented_as_off_by_default() -> None:
    [option] = [option for option in OPTIONS if option.field == "shared_projects"]
    assert (option.flag, option.env) == ("--shared-projects", ENV)
    assert "false (default)" in option.help
    assert _shared() is False


@pytest.mark.parametrize(
    ("argv", "shared"),
    [
        (["--shared-projects"], True),
        (["--shared-projects", "true"], True),
        (["--shared-projects", "TRUE"], True),
        (["--shared-projects", "1"], True),
        (["--shared-projects", "yes"], True),
        (["--shared-projects", "on"], True),
        (["--shared-projects", "false"], False),
        (["--shared-projects", "0"], False),
        (["--shared-projects", "no"], False),
        (["--shared-projects", "off"], False),
    ],
)
def test_on_the_command_line(argv: list[str], shared: bool) -> None:
    assert _shared(*argv) is shared


def test_the_flag_alone_before_another_option() -> None:
    args = build_parser().parse_args(["serve", "--shared-projects", "--seed", "5"])
    settings = settings_from(args)
    assert (settings.shared_projects, settings.seed) == (True, 5)


@pytest.mark.parametrize(("value", "shared"), [("true", True), ("1", True), ("false", False), ("0", False)])
def test_in_the_environment(value: str, shared: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, value)
    assert _shared() is shared


def test_the_command_line_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "true")
    assert _shared("--shared-projects", "false") is False


def test_a_value_neither_true_nor_false_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CliError, match="'maybe' is neither true nor false"):
        _shared("--shared-projects", "maybe")
    monkeypatch.setenv(ENV, "sometimes")
    assert main(["serve"]) == 1
    assert capsys.readouterr().err == (
        "bitel-mock: BITEL_MOCK_SHARED_PROJECTS='sometimes': 'sometimes' is neither true nor false\n"
    )


@pytest.mark.parametrize(("argv", "expected"), [([], 404), (["--shared-projects"], 200)])
def test_from_the_command_line_to_behaviour(argv: list[str], expected: int) -> None:
    settings = settings_from(build_parser().parse_args(["serve", "--clock", "manual", *argv]))
    client = create_app(settings).test_client()
    call_id = place_call(client, TOKEN_A)
    assert call_status(client, call_id, TOKEN_B)[0] == expected
