"""Checks of one answer: status, envelope, error code, record schema, id, dates.

Each function returns the findings it made (empty when the answer is right).
Who is at fault follows one rule (`Blame`): while the contract is the
authority, every departure is the server's; while the server is (the real
service, by default), a departure from an expectation the contract only
guessed is the contract's, and a departure from a documented one is still
the server's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from bitel_mock import contracts
from bitel_mock.verify.model import CheckResult, Evidence, Exchange, Fault, Finding

ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
JSON_CONTENT_TYPE = "application/json"


@dataclass(frozen=True)
class Blame:
    """Which side an unmet expectation blames, given what is authoritative."""

    authority: str = "contract"
    """`contract` (the contract decides) or `server` (the server is the reference)."""

    def fault(self, evidence: Evidence) -> Fault:
        if self.authority == "server" and evidence is Evidence.GUESS:
            return Fault.CONTRACT
        return Fault.SERVER

    def finding(
        self, check: str, message: str, evidence: Evidence, exchange: Exchange | None
    ) -> Finding:
        return Finding(check, message, self.fault(evidence), evidence, exchange)


def _errors(schema: str, instance: Any) -> list[str]:
    validator = contracts.validator(schema)
    messages = []
    for error in validator.iter_errors(instance):
        where = "/".join(str(p) for p in error.instance_path) or "(body)"
        messages.append(f"{where}: {error.message}")
    return messages


def parsed_json(check: str, exchange: Exchange, blame: Blame) -> tuple[Any, list[Finding]]:
    """The answer's JSON, or a finding (every answer is JSON: doc)."""
    content_type = exchange.headers.get("content-type", "")
    findings = []
    if not content_type.lower().startswith(JSON_CONTENT_TYPE):
        findings.append(
            blame.finding(
                f"{check}/content-type",
                f"Content-Type is {content_type!r}, not {JSON_CONTENT_TYPE}",
                Evidence.DOC,
                exchange,
            )
        )
    try:
        return exchange.json(), findings
    except ValueError:
        return None, [
            *findings,
            blame.finding(f"{check}/envelope", "the answer is not JSON", Evidence.DOC, exchange),
        ]


def error_answer(
    check: str,
    exchange: Exchange,
    *,
    status: int,
    codes: Iterable[str],
    blame: Blame,
    status_evidence: Evidence = Evidence.GUESS,
    code_evidence: Evidence = Evidence.GUESS,
) -> list[Finding]:
    """An error answer: this status, the error envelope, one of these codes."""
    expected_codes = sorted(codes)
    findings: list[Finding] = []
    if exchange.status != status:
        findings.append(
            blame.finding(
                f"{check}/status",
                f"status {exchange.status}, expected {status}",
                status_evidence,
                exchange,
            )
        )
    body, problems = parsed_json(check, exchange, blame)
    findings.extend(problems)
    if body is None and problems:
        return findings
    broken = _errors("error-envelope", body)
    if broken:
        findings.append(
            blame.finding(
                f"{check}/envelope",
                "not the error envelope: " + "; ".join(broken[:3]),
                Evidence.DOC,
                exchange,
            )
        )
        return findings
    if body["error"] not in expected_codes:
        findings.append(
            blame.finding(
                f"{check}/error-code",
                f"error {body['error']!r}, expected {' or '.join(expected_codes)}",
                code_evidence,
                exchange,
            )
        )
    return findings


def record_answer(
    check: str,
    exchange: Exchange,
    *,
    many: bool,
    blame: Blame,
    check_ids: bool = True,
    schema: str | None = None,
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """A 200 answer carrying records: the records (when readable) and the findings (with each
    record's id checked, unless `check_ids` is False: the caller checks them per number).
    `schema` names the answer's schema (default: a call's, or a batch of calls')."""
    findings: list[Finding] = []
    if exchange.status != 200:
        findings.append(
            blame.finding(
                f"{check}/status", f"status {exchange.status}, expected 200", Evidence.DOC, exchange
            )
        )
    body, problems = parsed_json(check, exchange, blame)
    findings.extend(problems)
    if body is None:
        return [], findings
    if schema is None:
        schema = "batch-call-response" if many else "call-response"
    broken = _errors(schema, body)
    if broken:
        findings.append(
            blame.finding(
                f"{check}/record-schema",
                f"not a {schema}: " + "; ".join(broken[:3]),
                Evidence.DOC,
                exchange,
            )
        )
    result = body.get("result") if isinstance(body, dict) else None
    records = result if isinstance(result, list) else [result] if isinstance(result, dict) else []
    records = [r for r in records if isinstance(r, dict)]
    for record in records if check_ids else []:
        findings.extend(record_id(check, record, exchange, blame))
    return records, findings


def record_id(
    check: str, record: dict[str, Any], exchange: Exchange, blame: Blame
) -> list[Finding]:
    """The id is 32 lower-case hex (sample)."""
    value = record.get("id")
    if isinstance(value, str) and ID_PATTERN.match(value):
        return []
    return [
        blame.finding(
            f"{check}/id-format",
            f"id {value!r} is not 32 lower-case hex",
            Evidence.SAMPLE,
            exchange,
        )
    ]


def request_date(
    check: str,
    record: dict[str, Any],
    *,
    reference: float,
    tolerance: float,
    exchange: Exchange,
    blame: Blame,
) -> list[Finding]:
    """`requestDate` is within `tolerance` seconds of the reference clock."""
    value = record.get("requestDate")
    if isinstance(value, int) and abs(value - reference) <= tolerance:
        return []
    return [
        blame.finding(
            f"{check}/request-date",
            f"requestDate {value!r} is more than {tolerance:g} s from {int(reference)}",
            Evidence.DOC,
            exchange,
        )
    ]


NUMBERS_SHOWN = 10
"""A grouped finding lists this many numbers, then how many more."""


def by_number(found: Iterable[tuple[str, Finding]]) -> list[Finding]:
    """One finding per distinct finding, naming every number that showed it (in order), instead
    of the same finding once per number."""
    groups: dict[tuple[str, str, Fault, Evidence], tuple[Finding, list[str]]] = {}
    for number, finding in found:
        key = (finding.check, finding.message, finding.fault, finding.evidence)
        groups.setdefault(key, (finding, []))[1].append(number)
    return [
        replace(first, message=f"{first.message} ({_numbers(numbers)})")
        for first, numbers in groups.values()
    ]


def _numbers(numbers: list[str]) -> str:
    shown = ", ".join(numbers[:NUMBERS_SHOWN])
    more = f" and {len(numbers) - NUMBERS_SHOWN} more" if len(numbers) > NUMBERS_SHOWN else ""
    return f"number {shown}" if len(numbers) == 1 else f"{len(numbers)} numbers: {shown}{more}"


def unique_ids(check: str, what: str, ids: list[Any], blame: Blame) -> CheckResult:
    """One result: every id placed in the run was given to one `what` only (calls, messages)."""
    repeated = sorted({i for i in ids if ids.count(i) > 1}, key=str)
    findings = (
        [blame.finding(check, f"ids given to more than one {what}: {repeated}", Evidence.DOC, None)]
        if repeated
        else []
    )
    return CheckResult(check, "full", f"{len(ids)} ids", findings)
