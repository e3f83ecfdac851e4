"""The webhook options of `bitel-mock serve`, from the command line and the environment."""

from __future__ import annotations

import pytest

from bitel_mock.cli import CliError, build_parser, settings_from
from bitel_mock.tokens import token_fingerprint

NAMES = [
    "WEBHOOK_URL",
    "TOKEN_WEBHOOKS",
    "WEBHOOK_TIMEOUT",
    "WEBHOOK_RETRIES",
    "WEBHOOK_BACKOFF",
    "WEBHOOK_BALANCE",
    "WEBHOOK_ALLOWED_HOSTS",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(f"BITEL_MOCK_{name}", raising=False)


def settings(*argv: str):
    return settings_from(build_parser().parse_args(["serve", *argv]))


def test_no_webhooks_by_default() -> None:
    config = settings().webhook_config()
    assert not config.enabled
    assert (
        config.timeout_seconds,
        config.retries,
        config.backoff_seconds,
        config.negative_balance,
    ) == (5.0, 3, 30, False)


def test_every_webhook_option_from_the_command_line() -> None:
    s = settings(
        "--webhook-url",
        "http://127.0.0.1:9000/hook",
        "--token-webhook",
        "t1=http://127.0.0.1:9001/a",
        "--webhook-timeout",
        "1.5",
        "--webhook-retries",
        "5",
        "--webhook-backoff",
        "2",
        "--webhook-balance",
        "negative",
        "--webhook-allow-host",
        "127.0.0.1",
    )
    config = s.webhook_config()
    assert config.url == "http://127.0.0.1:9000/hook"
    assert config.token_urls == {token_fingerprint("t1"): "http://127.0.0.1:9001/a"}
    assert (
        config.timeout_seconds,
        config.retries,
        config.backoff_seconds,
        config.negative_balance,
    ) == (1.5, 5, 2, True)
    assert s.webhook_allowed_hosts == {"127.0.0.1"}


def test_webhook_options_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BITEL_MOCK_WEBHOOK_URL", "http://localhost:9000/h")
    monkeypatch.setenv(
        "BITEL_MOCK_TOKEN_WEBHOOKS", "a=http://localhost:1/x, b=http://localhost:2/y"
    )
    monkeypatch.setenv("BITEL_MOCK_WEBHOOK_RETRIES", "0")
    config = settings().webhook_config()
    assert config.url == "http://localhost:9000/h" and config.retries == 0
    assert set(config.token_urls) == {token_fingerprint("a"), token_fingerprint("b")}


@pytest.mark.parametrize(
    "argv",
    [
        ["--webhook-url", "ftp://x/"],
        ["--webhook-url", "http://evil.example/h", "--webhook-allow-host", "127.0.0.1"],
        ["--token-webhook", "no-url"],
        ["--webhook-timeout", "0"],
        ["--webhook-retries", "-1"],
    ],
)
def test_bad_webhook_options_are_one_line_errors(argv: list[str]) -> None:
    with pytest.raises(CliError):
        settings(*argv)
