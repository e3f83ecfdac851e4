"""The drift record: snapshots of the safe answers, compared; the shipped emulator snapshot."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.verify.helpers import failed_checks, verify

SHIPPED = Path(str(resources.files("contracts") / "snapshots" / "emulator-safe.json"))


def test_the_emulator_still_matches_its_shipped_snapshot() -> None:
    report = verify(create_app(), compare=SHIPPED, max_examples=0)
    assert report.passed, [f.to_json() for f in report.findings]
    assert any(r.name == "drift" for r in report.results)


def test_a_snapshot_of_the_same_server_compares_equal(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    verify(create_app(Settings(seed=1)), snapshot=path, max_examples=0)
    saved = json.loads(path.read_text())
    assert saved["answers"]["status/unknown-id"]["status"] == 404
    assert verify(create_app(Settings(seed=2)), compare=path, max_examples=0).passed


def test_every_difference_is_reported_as_drift(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    verify(create_app(), snapshot=path, max_examples=0)
    changed = verify(
        create_app(Settings(invalid_number_error="InvalidPhoneNumber")),
        compare=path,
        max_examples=0,
    )
    drift = {f.check for f in changed.findings}
    assert "drift/rules/batch/number-undialable" in drift
    assert (
        "drift/rules/batch/voice-missing" not in drift
    )  # a schema error comes before the number's
    finding = next(f for f in changed.findings if f.check == "drift/rules/batch/number-undialable")
    assert finding.message == 'body.error: was "InvalidRequest", now "InvalidPhoneNumber"'
    assert failed_checks(changed) == drift


def test_a_removed_probe_is_drift(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    verify(create_app(), snapshot=path, max_examples=0)
    data = json.loads(path.read_text())
    data["answers"]["gone/probe"] = data["answers"]["status/unknown-id"]
    path.write_text(json.dumps(data))
    report = verify(create_app(), compare=path, max_examples=0)
    assert [f.message for f in report.findings] == ["the probe is no longer run"]
