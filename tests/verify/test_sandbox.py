"""verify against a sandbox: the admin token goes on control-plane requests only; a finding
shared by several numbers is reported once, naming them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from bitel_mock.app import create_app
from bitel_mock.cli import build_parser
from bitel_mock.settings import Settings
from bitel_mock.verify import cli as verify_cli
from bitel_mock.verify.checks import NUMBERS_SHOWN, Blame, by_number
from bitel_mock.verify.lifecycle import MAGIC_MANUAL
from bitel_mock.verify.model import Evidence
from bitel_mock.verify.runner import UsageError
from tests.verify import broken
from tests.verify.helpers import verify

ADMIN_TOKEN = "sandbox-admin"
START = 1_700_000_000


class Recording:
    """A WSGI middleware that keeps (path, Authorization) of every request."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str | None]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.seen.append((environ.get("PATH_INFO", ""), environ.get("HTTP_AUTHORIZATION")))
        return self.app(environ, start_response)


def _sandbox() -> Any:
    return create_app(Settings(clock="manual", start_time=START, admin_token=ADMIN_TOKEN))


def test_the_full_profile_drives_a_sandbox_with_its_admin_token() -> None:
    app = Recording(_sandbox())
    report = verify(app, profile="full", max_examples=0, admin_token=ADMIN_TOKEN)
    assert report.passed, [f.to_json() for f in report.findings]
    admin = {auth for path, auth in app.seen if path.startswith("/__admin/")}
    api = {auth for path, auth in app.seen if path.startswith("/api/")}
    assert admin == {f"Bearer {ADMIN_TOKEN}"}
    assert f"Bearer {ADMIN_TOKEN}" not in api and "Bearer t" in api


def test_without_the_admin_token_the_full_profile_says_how_to_give_it() -> None:
    with pytest.raises(UsageError, match="give --admin-token or set BITEL_MOCK_ADMIN_TOKEN"):
        verify(_sandbox(), profile="full", max_examples=0)


def _options(*argv: str):
    return verify_cli.options_from(build_parser().parse_args(["verify", "--base-url", "http://x", *argv]))


def test_the_admin_token_comes_from_the_option_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BITEL_MOCK_ADMIN_TOKEN", raising=False)
    assert _options().admin_token is None
    monkeypatch.setenv("BITEL_MOCK_ADMIN_TOKEN", "from-env")
    assert _options().admin_token == "from-env"
    assert _options("--admin-token", "given").admin_token == "given"


def _shifts_dates(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    for record in broken._records(body):
        record["requestDate"] += 3600
    return status, body


def test_a_finding_shared_by_every_number_of_a_batch_is_reported_once() -> None:
    app = broken.Rewriting(create_app(Settings(clock="manual", start_time=START)), _shifts_dates)
    report = verify(app, profile="full", max_examples=0)
    [finding] = [f for f in report.findings if f.check == "full/place-batch/request-date"]
    numbers = list(MAGIC_MANUAL)
    assert finding.message.endswith(f"({len(numbers)} numbers: {', '.join(numbers)})")


def test_findings_are_grouped_by_what_they_say() -> None:
    blame = Blame()
    same = blame.finding("c", "wrong", Evidence.DOC, None)
    other = blame.finding("c", "worse", Evidence.DOC, None)
    grouped = by_number([("0911", same), ("0912", same), ("0913", other)])
    assert [f.message for f in grouped] == ["wrong (2 numbers: 0911, 0912)", "worse (number 0913)"]


def test_a_long_list_of_numbers_is_cut_short() -> None:
    finding = Blame().finding("c", "wrong", Evidence.DOC, None)
    numbers = [f"09{n:09d}" for n in range(NUMBERS_SHOWN + 3)]
    [grouped] = by_number([(n, finding) for n in numbers])
    shown = ", ".join(numbers[:NUMBERS_SHOWN])
    assert grouped.message == f"wrong ({NUMBERS_SHOWN + 3} numbers: {shown} and 3 more)"
