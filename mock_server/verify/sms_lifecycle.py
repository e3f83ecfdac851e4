"""The `full` profile's SMS part: send messages, follow each to its final code, check the
invariants.

Invariants: a new record is Waiting (code 0, price 0.0, the number and text
as sent); it then shows CHECK_OK (2) or a final code, and reaches one final
code that never changes; `id`, `phoneNumber`, `message`, `requestDate` and
`partCount` never change; a charged code (1, 2, 4) costs `partCount x tariff`
(`price` negative), the others nothing; ids are unique 32-hex. On bitel-mock
the magic numbers `099910000YY` also fix each message's final code.
"""

from __future__ import annotations

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
from bitel_mock.verify.lifecycle import (
    PRICE_TOLERANCE,
    RecordRules,
    TimeSource,
    follow_to_final,
    judge_polls,
)
from bitel_mock.verify.model import DEFAULT_SMS_TARIFF, CheckResult, Evidence, Exchange, Finding
from bitel_mock.verify.sms_probes import (
    BATCH,
    OTP,
    P2P,
    SAMPLE_PARAMS,
    SAMPLE_TEMPLATE_ID,
    SINGLE,
    SMS_STATUS_PATH,
    TEMPLATE,
    UNKNOWN_TEMPLATE_ID,
)
from bitel_mock.verify.wire import Target

FINAL_CODES = frozenset({1, 4, 5, 9, 10})
PASSING_CODES = frozenset({0, 2})
CHARGED_CODES = frozenset({1, 2, 4})
MESSAGE_RECORDS = RecordRules(
    fixed_keys=("id", "phoneNumber", "message", "requestDate", "partCount"),
    final=FINAL_CODES,
    passing=PASSING_CODES,
    evidence=Evidence.GUESS,
    noun="code",
)
"""A message keeps its id, number, text, request date and part count; it passes through the
passing codes to one of the final ones."""
VERIFY_TEXT = "verify"
"""The text of every message `full` sends (one GSM-7 part)."""
UNKNOWN_GATEWAY = "10000001"

SMS_MAGIC = {
    "09991000001": 1,
    "09991000004": 4,
    "09991000005": 5,
    "09991000009": 9,
    "09991000010": 10,
}
"""bitel-mock's SMS magic numbers and the final code each ends in (docs/emulated-api.md)."""


@dataclass
class Message:
    """A sent message and everything seen of it."""

    label: str
    number: str
    expected: int | None
    first: dict[str, Any]
    seen: list[tuple[dict[str, Any], Exchange]] = field(default_factory=list)

    @property
    def last(self) -> dict[str, Any]:
        return self.seen[-1][0] if self.seen else self.first

    @property
    def final(self) -> bool:
        return self.last.get("status") in FINAL_CODES


def _fresh_record(
    check: str,
    record: dict[str, Any],
    number: str,
    text: str | None,
    exchange: Exchange,
    blame: Blame,
) -> list[Finding]:
    wanted: dict[str, Any] = {
        "status": 0,
        "statusText": "Waiting",
        "price": 0.0,
        "phoneNumber": number,
    }
    if text is not None:
        wanted["message"] = text
    wrong = [
        f"{k} {record.get(k)!r} (expected {v!r})" for k, v in wanted.items() if record.get(k) != v
    ]
    if not wrong:
        return []
    return [
        blame.finding(
            f"{check}/fresh-record",
            "a new message's record: " + ", ".join(wrong),
            Evidence.SAMPLE,
            exchange,
        )
    ]


class SmsFullRun:
    """Sends the messages of the `full` profile and follows them."""

    def __init__(
        self,
        target: Target,
        clock: TimeSource,
        numbers: dict[str, int | None],
        blame: Blame,
        *,
        tariff: float = DEFAULT_SMS_TARIFF,
        tolerance: float,
    ) -> None:
        self.target = target
        self.clock = clock
        self.numbers = numbers
        self.blame = blame
        self.tariff = tariff
        self.tolerance = tolerance
        self.messages: list[Message] = []

    # --- single-rule refusals, with a number that may receive a message ------------

    def refusals(self) -> list[CheckResult]:
        """An unknown gateway, an unknown template and too few params, each the only fault."""
        number = next(iter(self.numbers))
        probes = [
            (
                "invalid-gateway",
                SINGLE,
                {"message": VERIFY_TEXT, "phoneNumber": number, "gatewayNumber": UNKNOWN_GATEWAY},
                "InvalidGateway",
            ),
            (
                "invalid-template",
                TEMPLATE,
                {"phoneNumber": number, "templateId": UNKNOWN_TEMPLATE_ID, "params": SAMPLE_PARAMS},
                "InvalidTemplate",
            ),
            (
                "template-format",
                TEMPLATE,
                {
                    "phoneNumber": number,
                    "templateId": SAMPLE_TEMPLATE_ID,
                    "params": SAMPLE_PARAMS[:1],
                },
                "TemplateFormatError",
            ),
        ]
        return [
            self._refusal(name, endpoint.path, body, code) for name, endpoint, body, code in probes
        ]

    def _refusal(self, name: str, path: str, body: dict[str, Any], code: str) -> CheckResult:
        check = f"full/sms-{name}"
        exchange = self.target.send("POST", path, body=body, resend=False)
        findings = error_answer(
            check, exchange, status=400, codes={code}, blame=self.blame, code_evidence=Evidence.DOC
        )
        if exchange.status == 200:  # sent after all: follow it like the others
            records, _ = record_answer(
                check, exchange, many=False, blame=self.blame, schema="sms-response"
            )
            self.messages.extend(Message(name, body["phoneNumber"], None, r) for r in records)
        return CheckResult(
            check, "full", f"POST {path} ({code} expected) -> {exchange.status}", findings
        )

    # --- sending ------------------------------------------------------------------

    def send(self) -> list[CheckResult]:
        """A batch to every number, a p2p to every number, one message to the first number on
        each other endpoint; then the ids' uniqueness."""
        numbers = list(self.numbers)
        first = numbers[0]
        texts = [f"{VERIFY_TEXT} {i}" for i in range(len(numbers))]
        sends = [
            (
                BATCH,
                {"message": VERIFY_TEXT, "phoneNumbers": numbers},
                [VERIFY_TEXT] * len(numbers),
            ),
            (P2P, {"messages": texts, "phoneNumbers": numbers}, texts),
            (SINGLE, {"message": VERIFY_TEXT, "phoneNumber": first}, [VERIFY_TEXT]),
            (OTP, {"phoneNumber": first, "appName": "verify", "code": "1234"}, [None]),
            (
                TEMPLATE,
                {"phoneNumber": first, "templateId": SAMPLE_TEMPLATE_ID, "params": SAMPLE_PARAMS},
                [None],
            ),
        ]
        results = [
            self._send_one(endpoint.name, endpoint.path, endpoint.many, body, expected_texts)
            for endpoint, body, expected_texts in sends
        ]
        results.append(self._unique_ids())
        return results

    def _send_one(
        self, name: str, path: str, many: bool, body: dict[str, Any], texts: list[str | None]
    ) -> CheckResult:
        check = f"full/send-{name}"
        before = self.clock.now()
        exchange = self.target.send("POST", path, body=body, resend=False)
        after = self.clock.now()
        schema = "sms-batch-response" if many else "sms-response"
        records, findings = record_answer(
            check, exchange, many=many, blame=self.blame, check_ids=False, schema=schema
        )
        sent = body["phoneNumbers"] if many else [body["phoneNumber"]]
        if exchange.status == 200 and len(records) != len(sent):
            findings.append(
                self.blame.finding(
                    f"{check}/count",
                    f"{len(records)} records for {len(sent)} numbers",
                    Evidence.SAMPLE,
                    exchange,
                )
            )
        per_number: list[tuple[str, Finding]] = []
        for number, text, record in zip(sent, texts, records, strict=False):
            per_number.extend(
                (number, finding)
                for finding in [
                    *record_id(check, record, exchange, self.blame),
                    *_fresh_record(check, record, number, text, exchange, self.blame),
                    *request_date(
                        check,
                        record,
                        reference=(before + after) / 2,
                        tolerance=self.tolerance + (after - before) / 2,
                        exchange=exchange,
                        blame=self.blame,
                    ),
                ]
            )
            expected = self.numbers.get(number)
            if name == OTP.name and expected == 5:
                expected = 1  # an OTP reaches a number that blacklists the line
            self.messages.append(Message(f"{name}:{number}", number, expected, record))
        findings.extend(by_number(per_number))
        plural = "s" if len(sent) != 1 else ""
        return CheckResult(
            check,
            "full",
            f"POST {path} ({len(sent)} number{plural}) -> {exchange.status}",
            findings,
        )

    def _unique_ids(self) -> CheckResult:
        ids = [m.first.get("id") for m in self.messages]
        return unique_ids("full/sms-ids-unique", "message", ids, self.blame)

    # --- following ----------------------------------------------------------------

    def _poll(self, message: Message) -> None:
        message_id = message.first.get("id")
        if not isinstance(message_id, str):
            return
        exchange = self.target.send("GET", SMS_STATUS_PATH + message_id)
        records, findings = record_answer(
            "full/sms-status", exchange, many=False, blame=self.blame, schema="sms-response"
        )
        if records:
            message.seen.append((records[0], exchange))
        elif findings:
            message.seen.append(({"status": f"<answer {exchange.status}>"}, exchange))

    def follow(self) -> None:
        """Poll the messages not yet final until all are, then every message once more."""
        follow_to_final(self.messages, self.clock.steps(), self._poll)

    def lifecycle_results(self) -> list[CheckResult]:
        return [self._judge(m) for m in self.messages if isinstance(m.first.get("id"), str)]

    def _judge(self, message: Message) -> CheckResult:
        check = f"full/sms-lifecycle/{message.label}"

        def priced(record: dict[str, Any], exchange: Exchange) -> list[Finding]:
            if record.get("status") in CHARGED_CODES | PASSING_CODES | FINAL_CODES:
                return self._price(check, record, exchange)
            return []

        final_seen, findings = judge_polls(
            check,
            message,
            MESSAGE_RECORDS,
            self.blame,
            lambda record, exchange: self._final_invariants(check, message, record, exchange),
            priced,
        )
        outcome = (final_seen or message.last).get("status")
        return CheckResult(
            check,
            "full",
            f"{message.number} -> {outcome} after {len(message.seen)} polls",
            findings,
        )

    def _price(self, check: str, record: dict[str, Any], exchange: Exchange) -> list[Finding]:
        code, parts, price = record.get("status"), record.get("partCount"), record.get("price")
        if not isinstance(parts, int) or not isinstance(price, int | float):
            return []
        expected = -round(parts * self.tariff, 2) if code in CHARGED_CODES else 0.0
        if abs(price - expected) <= PRICE_TOLERANCE:
            return []
        return [
            self.blame.finding(
                f"{check}/price",
                f"price {price} at code {code} for {parts} parts, expected {expected} (tariff {self.tariff})",
                Evidence.GUESS,
                exchange,
            )
        ]

    def _final_invariants(
        self, check: str, message: Message, record: dict[str, Any], exchange: Exchange
    ) -> list[Finding]:
        if message.expected is None or record.get("status") == message.expected:
            return []
        return [
            self.blame.finding(
                f"{check}/outcome",
                f"ended {record.get('status')}, the number's code is {message.expected}",
                Evidence.GUESS,
                exchange,
            )
        ]
