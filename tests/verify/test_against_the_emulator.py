"""verify passes against a correct emulator, and `safe` never places a call."""

from __future__ import annotations

import json
import re

import pytest

from bitel_mock.app import create_app
from bitel_mock.cli import main
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.transport import in_process_session
from bitel_mock.verify.probes import safe_probes
from tests.verify.helpers import BASE, FAST, verify


def _calls_placed(app) -> tuple[int, list]:
    session = in_process_session(app)
    health = session.get(f"{BASE}/__admin/health").json()
    calls = session.get(f"{BASE}/__admin/calls").json()
    return health["calls"], calls["calls"] if isinstance(calls, dict) else calls


def test_safe_passes_and_places_no_call() -> None:
    app = create_app(Settings(seed=1))
    report = verify(app)
    assert report.passed, [f.to_json() for f in report.findings]
    names = {r.name for r in report.results}
    assert {p.name for p in safe_probes()} <= names
    assert {"generated/batchCall", "generated/callStatus", "contract/vendor-samples"} <= names
    count, listed = _calls_placed(app)
    assert count == 0 and listed == []


@pytest.mark.parametrize(
    "settings",
    [
        Settings(tokens=frozenset({"t"})),
        Settings(invalid_number_error="InvalidPhoneNumber"),
        Settings(server_ids=frozenset({"a", "b"})),
    ],
    ids=["configured-token", "invalid-phone-number-code", "other-server-ids"],
)
def test_safe_passes_whatever_the_emulators_settings(settings: Settings) -> None:
    app = create_app(settings)
    report = verify(app)
    assert report.passed, [f.to_json() for f in report.findings]
    assert _calls_placed(app)[0] == 0


def test_full_passes_on_a_manual_clock_and_follows_every_magic_number() -> None:
    app = create_app(Settings(seed=2, clock="manual", start_time=1_700_000_000))
    report = verify(app, profile="full", max_examples=0)
    assert report.passed, [f.to_json() for f in report.findings]
    outcomes = {
        r.name: r.summary for r in report.results if r.name.startswith("full/lifecycle/batch:")
    }
    assert outcomes["full/lifecycle/batch:09990000010"].startswith("09990000010 -> EXPIRED")
    assert outcomes["full/lifecycle/batch:09990000002"].startswith("09990000002 -> NO_ANSWER")
    assert len(outcomes) == 7
    assert _calls_placed(app)[0] == 11


def test_full_on_a_real_clock_polls_until_final() -> None:
    app = create_app(Settings(seed=3))
    session = in_process_session(app)
    waited: list[float] = []

    def sleep(seconds: float) -> None:  # time passes on the emulator's clock, not the test's
        waited.append(seconds)
        session.post(f"{BASE}/__admin/clock/advance", json={"seconds": int(seconds)})

    from bitel_mock.verify.runner import Options, run

    report = run(
        Options(
            base_url=BASE, token="t", profile="full", max_examples=0, poll_interval=10, timeout=300
        ),
        session=session,
        sleep=sleep,
    )
    assert report.passed, [f.to_json() for f in report.findings]
    assert waited and set(waited) == {10}
    assert not any("09990000010" in r.name for r in report.results)  # EXPIRED needs 4 hours


def test_the_command_over_a_real_socket(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    app = create_app(Settings(seed=4))
    report_file, junit_file = tmp_path / "out.json", tmp_path / "out.xml"
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
                "5",
                "--report",
                str(report_file),
                "--junit",
                str(junit_file),
            ]
        )
    out = capsys.readouterr().out
    assert status == 0, out
    lines = [line for line in out.splitlines() if re.match(r"^(PASS|FAIL)  ", line)]
    assert len(lines) == json.loads(report_file.read_text())["checks"]
    assert all(line.startswith("PASS") for line in lines)
    assert "PASSED:" in out and "seed 5" in out
    assert junit_file.read_text().startswith("<?xml")
    assert _calls_placed(app)[0] == 0
