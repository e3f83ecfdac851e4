"""The SMS options as the command line reads them: defaults, values refused with a reason, and
`--outcomes` with `sms:` weights down to the messages it decides."""

from __future__ import annotations

import os

import pytest

from bitel_mock.app import create_app
from bitel_mock.cli import ENV_PREFIX, CliError, build_parser, settings_from
from bitel_mock.settings import Settings
from tests.sms.steps import SINGLE, advance, send, status


@pytest.fixture(autouse=True)
def _no_configuration_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def _settings(*argv: str) -> Settings:
    return settings_from(build_parser().parse_args(["serve", *argv]))


def test_the_documented_defaults() -> None:
    settings = _settings()
    assert (
        settings.sms_gateways,
        settings.sms_tariff,
        settings.sms_check_seconds,
        settings.sms_deliver_seconds,
    ) == (
        frozenset({"10009909"}),
        14.0,
        2,
        5,
    )


def test_the_default_line_stays_accepted_whatever_lines_are_added(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _settings("--sms-gateway", "20001").sms_gateways == {"10009909", "20001"}
    monkeypatch.setenv("BITEL_MOCK_SMS_GATEWAYS", "20001, 30002")
    assert _settings().sms_gateways == {"10009909", "20001", "30002"}
    assert Settings(sms_gateways=frozenset({"5"})).sms_gateways == {"10009909", "5"}


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (
            ["--sms-gateway", "1000-99"],
            "--sms-gateway: '1000-99' is not a gateway number (digits only)",
        ),
        (["--sms-gateway", "۱۰۰"], "is not a gateway number"),
        (["--sms-tariff", "-1"], "the SMS tariff (--sms-tariff) must be a non-negative number"),
        (["--sms-tariff", "nan"], "the SMS tariff (--sms-tariff) must be a non-negative number"),
        (["--sms-tariff", "x"], "--sms-tariff: could not convert string to float: 'x'"),
        (
            ["--sms-check-seconds", "-1"],
            "the SMS check seconds (--sms-check-seconds) must not be negative",
        ),
        (
            ["--sms-check-seconds", "6"],
            "the SMS delivery seconds (--sms-deliver-seconds) must be at least the check seconds",
        ),
        (["--sms-deliver-seconds", "1"], "must be at least the check seconds"),
        (["--sms-deliver-seconds", "1.5"], "--sms-deliver-seconds: invalid literal for int()"),
        (["--outcomes", "sms:WAITING=1"], "--outcomes: unknown message outcome 'sms:WAITING'"),
    ],
)
def test_a_value_out_of_range_is_refused_with_the_reason(argv: list[str], why: str) -> None:
    with pytest.raises(CliError) as refused:
        _settings(*argv)
    assert why in str(refused.value)


def test_check_and_delivery_may_be_the_same_moment() -> None:
    client = create_app(
        _settings("--clock", "manual", "--sms-check-seconds", "3", "--sms-deliver-seconds", "3")
    ).test_client()
    record = send(client, SINGLE, {"message": "Hi", "phoneNumber": "09121234567"})
    advance(client, 2)
    assert status(client, record["id"])["status"] == 0
    advance(client, 1)
    assert status(client, record["id"])["status"] == 1


def test_outcomes_with_sms_weights_decide_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BITEL_MOCK_OUTCOMES", "sms:CHECK_ERROR=1")
    client = create_app(_settings("--clock", "manual")).test_client()
    record = send(client, SINGLE, {"message": "Hi", "phoneNumber": "09121234567"})
    advance(client, 60)
    assert status(client, record["id"])["statusText"] == "CheckError"
