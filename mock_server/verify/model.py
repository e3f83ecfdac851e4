"""What a verification produces: exchanges, findings, check results, the report."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

EXCERPT_CHARS = 300
PROFILES = ("safe", "full")
DEFAULT_TARIFF = 2.85
"""Toman per billed second: the vendor's sample (12 s cost -34.2)."""
DEFAULT_SMS_TARIFF = 14.0
"""Toman per SMS part: the status page's example price, -14.0 for one part."""
DEFAULT_TOLERANCE = 300.0
"""Seconds requestDate may be from the reference clock."""


class Fault(enum.StrEnum):
    """Which side a finding blames (the rule is in docs/verify.md, "Findings and who is at fault")."""

    SERVER = "server"
    CONTRACT = "contract"


class Evidence(enum.StrEnum):
    """What an expectation rests on, as in docs/fidelity.md."""

    DOC = "doc"
    SAMPLE = "sample"
    GUESS = "guess"


@dataclass(frozen=True)
class Exchange:
    """One request sent and the answer it got."""

    method: str
    path: str
    body: Any
    """The JSON body sent, or the raw text when it was not JSON; None when empty."""
    status: int
    headers: dict[str, str]
    """Names in lower case."""
    text: str

    def json(self) -> Any:
        """The answer parsed as JSON, or raise ValueError."""
        return json.loads(self.text)

    def excerpt(self) -> str:
        return self.text if len(self.text) <= EXCERPT_CHARS else self.text[:EXCERPT_CHARS] + "..."

    def to_json(self) -> dict[str, Any]:
        body = self.body
        if isinstance(body, list) and len(body) > 5:
            body = [*body[:3], f"... {len(body)} items"]
        if isinstance(body, dict):
            body = {
                k: ([*v[:3], f"... {len(v)} items"] if isinstance(v, list) and len(v) > 5 else v)
                for k, v in body.items()
            }
        if isinstance(body, str) and len(body) > EXCERPT_CHARS:
            body = body[:EXCERPT_CHARS] + "..."
        return {
            "method": self.method,
            "path": self.path,
            "body": body,
            "status": self.status,
            "response": self.excerpt(),
        }


@dataclass(frozen=True)
class Finding:
    """One broken expectation, with the request that showed it and the side at fault."""

    check: str
    message: str
    fault: Fault
    evidence: Evidence
    exchange: Exchange | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "message": self.message,
            "fault": self.fault.value,
            "evidence": self.evidence.value,
            "request": self.exchange.to_json() if self.exchange else None,
        }


@dataclass
class CheckResult:
    """One check as reported: one line on the terminal, one JUnit test case."""

    name: str
    group: str
    summary: str
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "group": self.group,
            "passed": self.passed,
            "summary": self.summary,
            "seconds": round(self.seconds, 3),
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass
class Report:
    """Everything one run found."""

    base_url: str
    profile: str
    seed: int
    authority: str
    results: list[CheckResult] = field(default_factory=list)
    snapshot: dict[str, Any] | None = None

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def passed(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        failed = sum(not r.passed for r in self.results)
        return {
            "baseUrl": self.base_url,
            "profile": self.profile,
            "seed": self.seed,
            "authority": self.authority,
            "passed": self.passed,
            "checks": len(self.results),
            "failedChecks": failed,
            "findings": len(self.findings),
            "results": [r.to_json() for r in self.results],
        }
