"""The `full` profile: place calls, follow each to its final status, check the invariants.

Invariants: a call is WAITING (the fresh record of the docs) and then reaches
one final status that never changes; `id`, `phoneNumber` and `requestDate`
never change; `executionDate >= requestDate`; `billSec > 0` only for NORMAL;
`price == -round(billSec * tariff, 2)`; ids are unique 32-hex. On bitel-mock
the magic numbers also fix each call's expected outcome.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bitel_mock.verify.checks import (
    Blame,
    by_number,
    error_answer,
    record_answer,
    record_id,
    request_date,
    unique_ids,
)
from bitel_mock.verify.model import CheckResult, Evidence, Exchange, Finding
from bitel_mock.verify.probes import BAD_SERVER_ID, ENDPOINTS, STATUS_PATH, VOICE_ID
from bitel_mock.verify.wire import Target

FINAL_STATUSES = frozenset({"NORMAL", "NO_ANSWER", "USER_BUSY", "EXPIRED", "ERROR", "UNKNOWN"})
PRICE_TOLERANCE = 0.005

MAGIC_MANUAL = {
    "09990000001": "NORMAL",
    "09990000002": "NO_ANSWER",
    "09990000003": "USER_BUSY",
    "09990000010": "EXPIRED",
    "09990000011": "ERROR",
    "09990000020": "UNKNOWN",
    "09990000201": "NORMAL",
}
"""bitel-mock's magic numbers and their outcomes with retryCount 2 (docs/emulated-api.md,
"Choosing outcomes")."""
MAGIC_REAL_CLOCK = {
    n: s for n, s in MAGIC_MANUAL.items() if n not in ("09990000010", "09990000201")
}
"""Those that finish within a minute or so of real time (EXPIRED takes 4 hours)."""

MANUAL_STEPS = [20] * 30 + [1800] * 10
"""Seconds to advance a manual clock between polls: fine for 10 minutes, then on past 5 hours."""


def follow_to_final(
    items: Sequence[Any], steps: list[Callable[[], None]], poll: Callable[[Any], None]
) -> None:
    """After each step of time, poll the items (calls or messages) not yet final, until all
    are; then take the first step again and poll every item once more, to show whether any
    final record changed."""
    live = [item for item in items if isinstance(item.first.get("id"), str)]
    for step in steps:
        step()
        for item in live:
            if not item.final:
                poll(item)
        if all(item.final for item in live):
            break
    else:
        return
    steps[0]()
    for item in live:
        poll(item)

@dataclass(frozen=True)
class RecordRules:
    """How the polled records of one kind (calls, messages) are judged on their way to a
    final status."""

    fixed_keys: tuple[str, ...]
    """Fields that never change from the first record."""
    final: frozenset[str | int]
    """Statuses a record ends in (and then never changes)."""
    passing: frozenset[str | int]
    """Statuses a record may pass through before its final one."""
    evidence: Evidence
    """What a changed field or a changed final record contradicts."""
    noun: str
    """What the final status is called in a finding ("status", "code")."""


CALL_RECORDS = RecordRules(
    fixed_keys=("id", "phoneNumber", "requestDate"),
    final=FINAL_STATUSES,
    passing=frozenset({"WAITING"}),
    evidence=Evidence.DOC,
    noun="status",
)
"""A call keeps its id, number and request date; WAITING until one of the final statuses."""


def judge_polls(
    check: str,
    item: Any,
    rules: RecordRules,
    blame: Blame,
    on_final: Callable[[dict[str, Any], Exchange], list[Finding]],
    on_each: Callable[[dict[str, Any], Exchange], list[Finding]] = lambda record, exchange: [],
) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The final record of an item followed by `follow_to_final` (None if none came) and what is
    wrong with its records: a fixed field that changed, a status neither passing nor final, a
    final record that changed, no final record in time; plus `on_final` of the first final
    record and `on_each` of every record."""
    findings: list[Finding] = []
    final_seen: dict[str, Any] | None = None
    first = item.first
    for record, exchange in item.seen:
        for key in rules.fixed_keys:
            if record.get(key, first.get(key)) != first.get(key):
                findings.append(
                    blame.finding(
                        f"{check}/{key}-changed",
                        f"{key} was {first.get(key)!r}, now {record.get(key)!r}",
                        rules.evidence,
                        exchange,
                    )
                )
        status = record.get("status")
        if final_seen is not None and record != final_seen:
            findings.append(
                blame.finding(
                    f"{check}/final-changed",
                    f"a final record changed: {final_seen} -> {record}",
                    rules.evidence,
                    exchange,
                )
            )
        elif status in rules.final and final_seen is None:
            final_seen = record
            findings.extend(on_final(record, exchange))
        elif status not in rules.passing and status not in rules.final:
            findings.append(
                blame.finding(f"{check}/status", f"status {status!r}", Evidence.DOC, exchange)
            )
        findings.extend(on_each(record, exchange))
    if final_seen is None:
        findings.append(
            blame.finding(
                f"{check}/final",
                f"no final {rules.noun} within the time allowed (last: {item.last.get('status')!r})",
                Evidence.GUESS,
                item.seen[-1][1] if item.seen else None,
            )
        )
    return final_seen, findings


@dataclass
class TimeSource:
    """Where "now" comes from and how time passes between polls."""

    target: Target
    manual: bool
    timeout: float
    poll_interval: float
    sleep: Callable[[float], None] = time.sleep
    wall: Callable[[], float] = time.time

    def now(self) -> float:
        if self.manual:
            clock = self.target.admin_json("GET", "/__admin/clock")
            if isinstance(clock, dict) and isinstance(clock.get("now"), int | float):
                return float(clock["now"])
        return self.wall()

    def steps(self) -> list[Callable[[], None]]:
        """One callable per poll round that lets time pass."""
        if self.manual:
            return [self._advance(s) for s in MANUAL_STEPS]
        rounds = max(1, int(self.timeout / max(self.poll_interval, 0.001)))
        return [lambda: self.sleep(self.poll_interval)] * rounds

    def _advance(self, seconds: int) -> Callable[[], None]:
        return lambda: self.target.admin_json(
            "POST", "/__admin/clock/advance", {"seconds": seconds}
        )


@dataclass
class Call:
    """A placed call and everything seen of it."""

    label: str
    number: str
    expected: str | None
    first: dict[str, Any]
    seen: list[tuple[dict[str, Any], Exchange]] = field(default_factory=list)

    @property
    def last(self) -> dict[str, Any]:
        return self.seen[-1][0] if self.seen else self.first

    @property
    def final(self) -> bool:
        return self.last.get("status") in FINAL_STATUSES


@dataclass
class FullSettings:
    numbers: dict[str, str | None]
    """Number -> expected final status (None when unknown)."""
    retry_count: int
    tariff: float
    tolerance: float


def _fresh_record(
    check: str, record: dict[str, Any], number: str, exchange: Exchange, blame: Blame
) -> list[Finding]:
    wanted = {
        "status": "WAITING",
        "statusCode": 0,
        "billSec": 0,
        "executionDate": 0,
        "price": 0.0,
        "phoneNumber": number,
    }
    wrong = [
        f"{k} {record.get(k)!r} (expected {v!r})" for k, v in wanted.items() if record.get(k) != v
    ]
    if not wrong:
        return []
    return [
        blame.finding(
            f"{check}/fresh-record",
            "a new call's record: " + ", ".join(wrong),
            Evidence.DOC,
            exchange,
        )
    ]


class FullRun:
    """Places the calls of the `full` profile and follows them."""

    def __init__(
        self, target: Target, clock: TimeSource, settings: FullSettings, blame: Blame
    ) -> None:
        self.target = target
        self.clock = clock
        self.settings = settings
        self.blame = blame
        self.calls: list[Call] = []

    def invalid_server(self) -> CheckResult:
        """A single-fault probe: a dialable number and an unknown serverId must be refused."""
        number = next(iter(self.settings.numbers))
        body = {"phoneNumber": number, "voiceId": VOICE_ID, "serverId": BAD_SERVER_ID}
        exchange = self.target.send("POST", "/api/v2/voice/single", body=body, resend=False)
        findings = error_answer(
            "full/invalid-server",
            exchange,
            status=400,
            codes={"InvalidServer"},
            blame=self.blame,
            code_evidence=Evidence.DOC,
        )
        if exchange.status == 200:
            records, _ = record_answer(
                "full/invalid-server", exchange, many=False, blame=self.blame
            )
            self.calls.extend(Call("invalid-server", number, None, r) for r in records)
        return CheckResult(
            "full/invalid-server",
            "full",
            f"POST /single serverId={BAD_SERVER_ID} -> {exchange.status}",
            findings,
        )

    def place(self) -> list[CheckResult]:
        numbers = list(self.settings.numbers)
        first = numbers[0]
        requests = [
            (ENDPOINTS[0], {"phoneNumbers": numbers, "voiceId": VOICE_ID}),
            (ENDPOINTS[1], {"phoneNumbers": [first], "text": "verify"}),
            (ENDPOINTS[2], {"phoneNumber": first, "voiceId": VOICE_ID}),
            (ENDPOINTS[3], {"phoneNumber": first, "text": "verify"}),
            (ENDPOINTS[4], {"phoneNumber": first, "text": "1234"}),
        ]
        results = []
        for endpoint, body in requests:
            body["retryCount"] = self.settings.retry_count
            results.append(self._place_one(endpoint.name, endpoint.path, endpoint.many, body))
        results.append(self._unique_ids())
        return results

    def _place_one(self, name: str, path: str, many: bool, body: dict[str, Any]) -> CheckResult:
        check = f"full/place-{name}"
        before = self.clock.now()
        exchange = self.target.send("POST", path, body=body, resend=False)
        after = self.clock.now()
        records, findings = record_answer(
            check, exchange, many=many, blame=self.blame, check_ids=False
        )
        sent = body["phoneNumbers"] if many else [body["phoneNumber"]]
        if exchange.status == 200 and len(records) != len(sent):
            findings.append(
                self.blame.finding(
                    f"{check}/count",
                    f"{len(records)} records for {len(sent)} numbers",
                    Evidence.DOC,
                    exchange,
                )
            )
        per_number: list[tuple[str, Finding]] = []
        for number, record in zip(sent, records, strict=False):
            record_findings = [
                *record_id(check, record, exchange, self.blame),
                *_fresh_record(check, record, number, exchange, self.blame),
                *request_date(
                    check,
                    record,
                    reference=(before + after) / 2,
                    tolerance=self.settings.tolerance + (after - before) / 2,
                    exchange=exchange,
                    blame=self.blame,
                ),
            ]
            per_number.extend((number, finding) for finding in record_findings)
            self.calls.append(
                Call(f"{name}:{number}", number, self.settings.numbers.get(number), record)
            )
        findings.extend(by_number(per_number))
        return CheckResult(
            check,
            "full",
            f"POST {path} ({len(sent)} number{'s' if len(sent) != 1 else ''}) -> {exchange.status}",
            findings,
        )

    def _unique_ids(self) -> CheckResult:
        ids = [c.first.get("id") for c in self.calls]
        return unique_ids("full/ids-unique", "call", ids, self.blame)

    def _poll(self, call: Call) -> None:
        call_id = call.first.get("id")
        if not isinstance(call_id, str):
            return
        exchange = self.target.send("GET", STATUS_PATH + call_id)
        records, findings = record_answer("full/status", exchange, many=False, blame=self.blame)
        if records:
            call.seen.append((records[0], exchange))
        elif findings:
            call.seen.append(({"status": f"<answer {exchange.status}>"}, exchange))

    def follow(self) -> None:
        """Poll the calls not yet final until all are, then poll every call once more."""
        follow_to_final(self.calls, self.clock.steps(), self._poll)

    def lifecycle_results(self) -> list[CheckResult]:
        return [self._judge(call) for call in self.calls if isinstance(call.first.get("id"), str)]

    def _judge(self, call: Call) -> CheckResult:
        check = f"full/lifecycle/{call.label}"
        final_seen, findings = judge_polls(
            check,
            call,
            CALL_RECORDS,
            self.blame,
            lambda record, exchange: self._final_invariants(check, call, record, exchange),
        )
        outcome = final_seen.get("status") if final_seen else call.last.get("status")
        return CheckResult(
            check, "full", f"{call.number} -> {outcome} after {len(call.seen)} polls", findings
        )

    def _final_invariants(
        self, check: str, call: Call, record: dict[str, Any], exchange: Exchange
    ) -> list[Finding]:
        blame, findings = self.blame, []
        status, bill, price = record.get("status"), record.get("billSec"), record.get("price")
        executed, requested = record.get("executionDate"), record.get("requestDate")
        if isinstance(executed, int) and isinstance(requested, int) and executed < requested:
            findings.append(
                blame.finding(
                    f"{check}/execution-date",
                    f"executionDate {executed} < requestDate {requested}",
                    Evidence.GUESS,
                    exchange,
                )
            )
        if isinstance(bill, int) and bill > 0 and status != "NORMAL":
            findings.append(
                blame.finding(
                    f"{check}/bill-sec",
                    f"billSec {bill} for a {status} call",
                    Evidence.DOC,
                    exchange,
                )
            )
        if isinstance(bill, int) and isinstance(price, int | float):
            expected = -round(bill * self.settings.tariff, 2)
            if abs(price - expected) > PRICE_TOLERANCE:
                findings.append(
                    blame.finding(
                        f"{check}/price",
                        f"price {price} for billSec {bill}, expected {expected} (tariff {self.settings.tariff})",
                        Evidence.SAMPLE,
                        exchange,
                    )
                )
        if call.expected is not None and status != call.expected:
            findings.append(
                blame.finding(
                    f"{check}/outcome",
                    f"ended {status}, the number's outcome is {call.expected}",
                    Evidence.GUESS,
                    exchange,
                )
            )
        return findings
