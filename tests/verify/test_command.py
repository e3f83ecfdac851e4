"""The command: exit statuses, the token from the environment, the billable guard, reports."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bitel_mock.app import create_app
from bitel_mock.cli import build_parser, main
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.verify import cli as verify_cli
from bitel_mock.verify.runner import Options, UsageError, run
from bitel_mock.verify.safety import is_billable
from tests.verify import broken
from tests.verify.helpers import NoNetwork


def _run_cli(argv: list[str], session=None) -> int:
    return verify_cli.main(build_parser().parse_args(["verify", *argv]), session=session)


@pytest.mark.parametrize(
    "url", ["https://api.bitel.rest", "https://API.bitel.rest/", "http://api.bitel.rest:443/x"]
)
def test_full_against_the_real_service_is_refused_before_anything_is_sent(url: str, capsys) -> None:
    assert (
        _run_cli(["--base-url", url, "--token", "t", "--profile", "full"], session=NoNetwork()) == 2
    )
    assert "--allow-billable" in capsys.readouterr().err
    with pytest.raises(UsageError):
        run(Options(base_url=url, token="t", profile="full"), session=NoNetwork())


def test_billable_hosts() -> None:
    assert is_billable("https://api.bitel.rest") and is_billable("https://eu.api.bitel.rest/api")
    assert not is_billable("http://127.0.0.1:8080") and not is_billable(
        "https://api.bitel.rest.example.org"
    )


def test_full_against_the_real_service_with_allow_billable_gets_past_the_guard() -> None:
    with pytest.raises(AssertionError, match="verify sent a request"):
        run(
            Options(
                base_url="https://api.bitel.rest",
                token="t",
                profile="full",
                allow_billable=True,
                numbers=["09121234567"],
            ),
            session=NoNetwork(),
        )


def test_no_token_is_a_usage_error(monkeypatch, capsys) -> None:
    monkeypatch.delenv("BITEL_TOKEN", raising=False)
    assert _run_cli(["--base-url", "http://127.0.0.1:9"], session=NoNetwork()) == 2
    assert "BITEL_TOKEN" in capsys.readouterr().err


def test_the_token_comes_from_the_environment(monkeypatch, capsys) -> None:
    monkeypatch.setenv("BITEL_TOKEN", "secret-from-ci")
    app = create_app(Settings(tokens=frozenset({"secret-from-ci"})))
    with ThreadedServer(app) as server:
        assert _run_cli(["--base-url", server.url, "--max-examples", "0"]) == 0
    assert "secret-from-ci" not in capsys.readouterr().out


def test_an_unreachable_server_is_exit_status_2(capsys) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before verify runs: nothing listens
    assert main(["verify", "--base-url", f"http://127.0.0.1:{port}", "--token", "t"]) == 2
    assert "cannot reach" in capsys.readouterr().err


def test_findings_are_exit_status_1_with_reports(tmp_path: Path, capsys) -> None:
    app = broken.Rewriting(create_app(), broken.renames_invalid_request)
    with ThreadedServer(app) as server:
        status = _run_cli(
            [
                "--base-url",
                server.url,
                "--token",
                "t",
                "--max-examples",
                "0",
                "--report",
                str(tmp_path / "r.json"),
                "--junit",
                str(tmp_path / "j.xml"),
            ]
        )
    assert status == 1
    out = capsys.readouterr().out
    assert "FAIL  malformed/batch/not-json" in out and "FAILED:" in out
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["passed"] is False and report["findings"] > 0
    failing = next(r for r in report["results"] if r["name"] == "malformed/batch/not-json")
    finding = failing["findings"][0]
    assert (
        finding["check"] == "malformed/batch/not-json/error-code" and finding["fault"] == "server"
    )
    assert finding["request"]["method"] == "POST" and finding["request"]["status"] == 400
    suites = ET.parse(tmp_path / "j.xml").getroot()
    cases = {c.get("name"): c for c in suites.iter("testcase")}
    assert cases["malformed/batch/not-json"].find("failure") is not None
    assert cases["auth/no-token"].find("failure") is None
    assert int(suites.get("failures")) == report["failedChecks"]


def test_report_format_follows_the_extension(tmp_path: Path) -> None:
    with ThreadedServer(create_app()) as server:
        assert (
            _run_cli(
                [
                    "--base-url",
                    server.url,
                    "--token",
                    "t",
                    "--max-examples",
                    "0",
                    "--report",
                    str(tmp_path / "r.xml"),
                ]
            )
            == 0
        )
    assert ET.parse(tmp_path / "r.xml").getroot().tag == "testsuites"
