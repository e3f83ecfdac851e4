"""verify fails, naming the right check, against servers that break the contract."""

from __future__ import annotations

import json
import re

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.transport import in_process_session
from bitel_mock.verify.model import Fault
from bitel_mock.verify.safety import UNDIALABLE
from tests.verify import broken
from tests.verify.helpers import BASE, failed_checks, verify


def test_a_server_answering_500_fails_every_probe_as_the_servers_fault() -> None:
    report = verify(broken.Rewriting(create_app(), broken.answers_500), max_examples=1)
    assert not report.passed
    assert "auth/no-token/status" in failed_checks(report)
    assert "rules/batch/numbers-101/status" in failed_checks(report)
    generated = [f for f in report.findings if f.check.startswith("generated/")]
    assert generated and all(f.fault is Fault.SERVER for f in generated)
    finding = next(f for f in report.findings if f.check == "auth/no-token/status")
    assert finding.exchange is not None and finding.exchange.status == 500
    assert finding.exchange.method == "POST" and finding.exchange.path == "/api/v2/voice/batch"
    assert "InternalError" in finding.exchange.excerpt()


def test_a_wrong_error_code_is_named() -> None:
    report = verify(broken.Rewriting(create_app(), broken.renames_invalid_request), max_examples=0)
    checks = failed_checks(report)
    assert "malformed/batch/not-json/error-code" in checks
    assert "auth/no-token/error-code" not in checks  # 401 answers were left alone
    finding = next(f for f in report.findings if f.check == "malformed/batch/not-json/error-code")
    assert "'BadRequest'" in finding.message and finding.fault is Fault.SERVER


def _not_found_as_400(method: str, path: str, status: int, body):
    return (400 if status == 404 else status), body


def test_the_authority_decides_who_is_blamed_for_a_guessed_expectation() -> None:
    # 404 for NotFound is the contract's guess; the envelope is documented.
    as_contract = verify(broken.Rewriting(create_app(), _not_found_as_400), max_examples=0)
    as_server = verify(
        broken.Rewriting(create_app(), _not_found_as_400), max_examples=0, authority="server"
    )
    for report, fault in ((as_contract, Fault.SERVER), (as_server, Fault.CONTRACT)):
        finding = next(f for f in report.findings if f.check == "status/unknown-id/status")
        assert finding.fault is fault and "status 400, expected 404" in finding.message
    renamed = verify(
        broken.Rewriting(create_app(), broken.renames_invalid_request),
        max_examples=0,
        authority="server",
    )
    finding = next(f for f in renamed.findings if f.check == "malformed/batch/not-json/error-code")
    assert finding.fault is Fault.SERVER  # the InvalidRequest code is documented


def test_a_missing_record_field_fails_the_record_schema() -> None:
    app = broken.Rewriting(
        create_app(Settings(clock="manual", start_time=1_700_000_000)), broken.drops_price
    )
    report = verify(app, profile="full", max_examples=0)
    assert "full/place-batch/record-schema" in failed_checks(report)
    finding = next(f for f in report.findings if f.check == "full/place-batch/record-schema")
    assert "price" in finding.message


def test_a_wrong_price_breaks_the_lifecycle_invariant() -> None:
    app = broken.Rewriting(
        create_app(Settings(clock="manual", start_time=1_700_000_000)), broken.overcharges
    )
    report = verify(app, profile="full", max_examples=0)
    assert "full/lifecycle/batch:09990000001/price" in failed_checks(report)
    assert not any(c.endswith("/price") and "09990000002" in c for c in failed_checks(report))


def test_a_request_date_far_from_the_clock_is_found() -> None:
    def shifts_dates(method: str, path: str, status: int, body):
        for record in broken._records(body):
            record["requestDate"] += 3600
        return status, body

    app = broken.Rewriting(
        create_app(Settings(clock="manual", start_time=1_700_000_000)), shifts_dates
    )
    report = verify(app, profile="full", max_examples=0)
    assert "full/place-single/request-date" in failed_checks(report)
    report = verify(
        broken.Rewriting(
            create_app(Settings(clock="manual", start_time=1_700_000_000)), shifts_dates
        ),
        profile="full",
        max_examples=0,
        tolerance=4000,
    )
    assert not any(c.endswith("/request-date") for c in failed_checks(report))


def test_a_server_ignoring_auth_is_found_and_still_gets_no_call() -> None:
    app = create_app()
    report = verify(broken.ignores_auth(app))
    assert {
        "auth/no-token/status",
        "auth/basic-scheme/status",
        "auth/empty-bearer/status",
    } <= failed_checks(report)
    assert in_process_session(app).get(f"{BASE}/__admin/health").json()["calls"] == 0


def test_a_server_enforcing_nothing_is_never_sent_a_dialable_number() -> None:
    received: list[str] = []
    report = verify(broken.lax_app(received), max_examples=8)
    assert not report.passed and len(received) > 100
    digit_runs = [run for body in received for run in re.findall(r"[0-9]{8,}", _numbers_only(body))]
    assert digit_runs == []


def _numbers_only(raw: str) -> str:
    """The phone-number values of a body as text (other fields, e.g. the voice id, hold digits too)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw if re.fullmatch(r"[\s\S]{0,20}", raw) else ""
    found: list[str] = []

    def walk(node, under_number: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(
                    value,
                    under_number or "phone" in str(key).lower() or "number" in str(key).lower(),
                )
        elif isinstance(node, list):
            for item in node:
                walk(item, under_number)
        elif under_number:
            found.append(str(node))

    walk(body, False)
    assert all(
        v in (UNDIALABLE, "not-a-number", "True", "False", "None")
        or not any(ch.isdigit() for ch in v)
        for v in found
    ), found
    return " ".join(found)
