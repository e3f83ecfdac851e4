"""verify and the SMS family: `safe` never sends a message, `full` follows messages to their
final codes, and a server that breaks an SMS rule is caught."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

import pytest

from bitel_mock.app import create_app
from bitel_mock.cli import main
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.verify.cli import add_parser, options_from
from bitel_mock.verify.model import DEFAULT_SMS_TARIFF
from bitel_mock.verify.probes import safe_probes
from bitel_mock.verify.safety import UNDIALABLE
from bitel_mock.verify.sms_lifecycle import SMS_MAGIC
from bitel_mock.verify.sms_probes import SMS_ENDPOINTS, safe_sms_probes
from tests.verify.helpers import FAST, failed_checks, verify

START = 1_700_000_000
MOBILE = re.compile(r"(?<!\d)(0?9\d{9}|\+?989\d{9})(?!\d)")
"""Anything a lenient server could read as a mobile number."""


def messages_kept(app: Any) -> int:
    return len(app.extensions["bitel_mock"].store.list_messages())


def test_every_sms_probe_is_in_the_safe_profile_and_carries_only_the_undialable_number() -> None:
    probes = safe_sms_probes()
    assert {p.name for p in probes} <= {p.name for p in safe_probes()}
    assert {p.path for p in probes} >= {endpoint.path for endpoint in SMS_ENDPOINTS}
    for probe in probes:
        sent = json.dumps(probe.body, default=str) if probe.raw is None else probe.raw
        assert not MOBILE.search(sent), probe.name
        if isinstance(probe.body, dict):
            for key in ("phoneNumber", "gatewayNumber"):
                if isinstance(probe.body.get(key), str):
                    assert probe.body[key] in (UNDIALABLE, "not-a-number"), probe.name


def test_safe_sends_no_message_and_passes() -> None:
    app = create_app(Settings(seed=1))
    report = verify(app)
    assert report.passed, [f.to_json() for f in report.findings]
    names = {r.name for r in report.results}
    assert {
        "rules/sms-p2p/messages-more-than-numbers",
        "rules/sms-template/template-unknown",
        "rules/sms-single/gateway-unknown",
        "status/sms-unknown-id",
        "generated/sendSmsBatch",
        "generated/smsStatus",
    } <= names
    assert messages_kept(app) == 0


@pytest.mark.parametrize(
    "settings",
    [
        Settings(invalid_number_error="InvalidPhoneNumber"),
        Settings(sms_gateways=frozenset({"10009909", "30001234"})),
    ],
    ids=["invalid-phone-number-code", "more-gateways"],
)
def test_safe_passes_whatever_the_emulators_sms_settings(settings: Settings) -> None:
    app = create_app(settings)
    assert verify(app).passed
    assert messages_kept(app) == 0


def test_full_follows_every_sms_magic_number_to_its_code() -> None:
    app = create_app(Settings(seed=2, clock="manual", start_time=START))
    report = verify(app, profile="full", max_examples=0)
    assert report.passed, [f.to_json() for f in report.findings]
    summaries = {r.name: r.summary for r in report.results}
    for number, code in SMS_MAGIC.items():
        assert summaries[f"full/sms-lifecycle/sms-batch:{number}"].startswith(
            f"{number} -> {code} "
        )
        assert summaries[f"full/sms-lifecycle/sms-p2p:{number}"].startswith(f"{number} -> {code} ")
    for name in ("invalid-gateway", "invalid-template", "template-format"):
        assert f"full/sms-{name}" in summaries
    # a batch and a p2p to the five numbers, then single, OTP and template to the first
    assert messages_kept(app) == 2 * len(SMS_MAGIC) + 3


def test_full_on_a_real_clock_waits_for_the_messages() -> None:
    from bitel_mock.transport import in_process_session
    from bitel_mock.verify.runner import Options, run

    app = create_app(Settings(seed=3))
    session = in_process_session(app)

    def sleep(seconds: float) -> None:  # time passes on the emulator's clock, not the test's
        session.post("http://bitel.test/__admin/clock/advance", json={"seconds": int(seconds)})

    report = run(
        Options(
            base_url="http://bitel.test",
            token="t",
            profile="full",
            max_examples=0,
            poll_interval=10,
            timeout=300,
        ),
        session=session,
        sleep=sleep,
    )
    assert report.passed, [f.to_json() for f in report.findings]
    assert any(r.name == "full/sms-lifecycle/sms-otp:09991000001" for r in report.results)


def test_a_different_sms_tariff_is_a_price_finding() -> None:
    app = create_app(Settings(seed=4, clock="manual", start_time=START, sms_tariff=20.0))
    report = verify(app, profile="full", max_examples=0)
    failed = failed_checks(report)
    assert "full/sms-lifecycle/sms-single:09991000001/price" in failed
    assert not any("/price" in check and "sms" not in check for check in failed)
    assert verify(
        create_app(Settings(seed=4, clock="manual", start_time=START, sms_tariff=20.0)),
        profile="full",
        max_examples=0,
        sms_tariff=20.0,
    ).passed


def _options(*extra: str) -> Any:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    return options_from(
        parser.parse_args(["verify", "--base-url", "http://x", "--token", "t", *extra])
    )


def test_the_sms_tariff_option_defaults_to_14() -> None:
    assert _options().sms_tariff == DEFAULT_SMS_TARIFF == 14.0
    assert _options("--sms-tariff", "20").sms_tariff == 20.0


def test_safe_over_a_real_socket_leaves_the_message_count_unchanged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = create_app(Settings(seed=5))
    with ThreadedServer(app) as server:
        status = main(
            [
                "verify",
                "--base-url",
                server.url,
                "--token",
                "t",
                "--max-examples",
                str(FAST),
                "--seed",
                "6",
            ]
        )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "PASS  rules/sms-batch/numbers-101" in out
    assert messages_kept(app) == 0
