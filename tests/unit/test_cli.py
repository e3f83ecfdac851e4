"""The command line: options, environment variables and their precedence."""

from __future__ import annotations

import pytest

from bitel_mock import __version__
from bitel_mock.cli import CliError, build_parser, main, settings_from
from bitel_mock.domain.phone import NumberForm


def settings(*argv: str):
    return settings_from(build_parser().parse_args(["serve", *argv]))


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ["HOST", "PORT", "SEED", "SERVER_IDS", "TOKENS", "NUMBER_FORMS", "INVALID_NUMBER_ERROR", "MAX_BODY_BYTES"]:
        monkeypatch.delenv(f"BITEL_MOCK_{name}", raising=False)
    s = settings()
    assert (s.host, s.port, s.seed, s.server_ids, s.tokens) == ("127.0.0.1", 8080, None, {"mirdamad1"}, frozenset())
    assert s.number_forms == {NumberForm.LOCAL}
    assert s.invalid_number_error == "InvalidRequest"
    assert s.max_body_bytes == 1024 * 1024


def test_every_option_from_the_command_line() -> None:
    s = settings(
        "--host", "0.0.0.0", "--port", "9000", "--seed", "3", "--server-id", "a", "--server-id", "b",
        "--token", "t1", "--token", "t2", "--number-form", "plus98", "--invalid-number-error", "InvalidPhoneNumber",
        "--max-body-bytes", "10",
    )
    assert (s.host, s.port, s.seed) == ("0.0.0.0", 9000, 3)
    assert s.server_ids == {"a", "b"} and s.tokens == {"t1", "t2"}
    assert s.number_forms == {NumberForm.LOCAL, NumberForm.PLUS98}
    assert (s.invalid_number_error, s.max_body_bytes) == ("InvalidPhoneNumber", 10)


def test_every_option_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "HOST": "::1", "PORT": "9001", "SEED": "4", "SERVER_IDS": "x, y", "TOKENS": "a,b",
        "NUMBER_FORMS": "98,persian-digits", "INVALID_NUMBER_ERROR": "InvalidPhoneNumber", "MAX_BODY_BYTES": "99",
    }
    for name, value in env.items():
        monkeypatch.setenv(f"BITEL_MOCK_{name}", value)
    s = settings()
    assert (s.host, s.port, s.seed) == ("::1", 9001, 4)
    assert s.server_ids == {"x", "y"} and s.tokens == {"a", "b"}
    assert s.number_forms == {NumberForm.LOCAL, NumberForm.NINETY_EIGHT, NumberForm.PERSIAN_DIGITS}
    assert (s.invalid_number_error, s.max_body_bytes) == ("InvalidPhoneNumber", 99)
    # The command line wins over the environment.
    assert settings("--port", "7000").port == 7000


@pytest.mark.parametrize(
    "name, value",
    [("PORT", "eighty"), ("SEED", "x"), ("NUMBER_FORMS", "e164"), ("INVALID_NUMBER_ERROR", "Nope"), ("MAX_BODY_BYTES", "0"), ("PORT", "70000")],
)
def test_bad_environment_values_are_one_line_errors(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(f"BITEL_MOCK_{name}", value)
    with pytest.raises(CliError):
        settings()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"bitel-mock {__version__}"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "serve" in capsys.readouterr().out


def test_an_unknown_outcome_is_named_with_the_known_ones() -> None:
    with pytest.raises(CliError) as refused:
        settings("--outcomes", "BOGUS=0.5")
    assert str(refused.value) == (
        "--outcomes: unknown outcome 'BOGUS' (known: NORMAL, NO_ANSWER, USER_BUSY, EXPIRED, ERROR, UNKNOWN)"
    )


@pytest.mark.parametrize("weights", ["NORMAL", "NORMAL=x", "NORMAL=nan", "NORMAL=0.5,NO_ANSWER"])
def test_an_outcome_without_a_number_is_not_status_weight(weights: str) -> None:
    with pytest.raises(CliError, match="is not STATUS=WEIGHT"):
        settings("--outcomes", weights)


def test_a_start_time_needs_a_manual_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BITEL_MOCK_CLOCK", raising=False)
    with pytest.raises(CliError, match="add --clock manual"):
        settings("--start-time", "1700000000")
    assert settings("--clock", "manual", "--start-time", "1700000000").start_time == 1_700_000_000


def test_help_says_how_the_clock_starts_on_a_kept_store(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "always wins over a kept clock" in text
    assert "resume the manual time kept in the store, else now" in text
    assert "a real clock keeps the offset kept in the store" in text
