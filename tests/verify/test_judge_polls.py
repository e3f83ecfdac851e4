"""The one judgement of a call's or a message's polled records: fixed fields, passing and final
statuses, a final record that changes, no final record in time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bitel_mock.verify.checks import Blame
from bitel_mock.verify.lifecycle import CALL_RECORDS, judge_polls
from bitel_mock.verify.model import Evidence, Exchange, Finding
from bitel_mock.verify.sms_lifecycle import MESSAGE_RECORDS

CHECK = "full/lifecycle/x"


@dataclass
class Polled:
    seen: list[tuple[dict[str, Any], Exchange]] = field(default_factory=list)

    @property
    def first(self) -> dict[str, Any]:
        return self.seen[0][0]

    @property
    def last(self) -> dict[str, Any]:
        return self.seen[-1][0]


def _polled(*records: dict[str, Any]) -> Polled:
    return Polled([(r, Exchange("GET", f"/status/{n}", None, 200, {}, "")) for n, r in enumerate(records)])


def _call(status: str, **changes: Any) -> dict[str, Any]:
    return {"id": "a", "phoneNumber": "0912", "requestDate": 1, "status": status, **changes}


def _judged(item: Polled, rules: Any = CALL_RECORDS) -> tuple[Any, list[Finding], list[str]]:
    finals: list[str] = []

    def on_final(record: dict[str, Any], exchange: Exchange) -> list[Finding]:
        finals.append(exchange.path)
        return []

    final, findings = judge_polls(CHECK, item, rules, Blame(), on_final)
    return final, findings, finals


def test_a_call_waiting_then_final_then_unchanged_has_no_finding() -> None:
    item = _polled(_call("WAITING"), _call("NORMAL"), _call("NORMAL"))
    final, findings, finals = _judged(item)
    assert (final, findings, finals) == (_call("NORMAL"), [], ["/status/1"])


def test_each_broken_expectation_is_one_finding_at_its_poll() -> None:
    item = _polled(
        _call("WAITING"),
        _call("RINGING", requestDate=2),
        _call("USER_BUSY"),
        _call("NORMAL"),
    )
    final, findings, _ = _judged(item)
    assert final == _call("USER_BUSY")
    assert [(f.check, f.evidence, f.exchange.path if f.exchange else None) for f in findings] == [
        (f"{CHECK}/requestDate-changed", Evidence.DOC, "/status/1"),
        (f"{CHECK}/status", Evidence.DOC, "/status/1"),
        (f"{CHECK}/final-changed", Evidence.DOC, "/status/3"),
    ]


def test_no_final_record_in_time_names_the_last_status() -> None:
    _, findings, finals = _judged(_polled(_call("WAITING"), _call("WAITING")))
    assert finals == []
    [finding] = findings
    assert (finding.check, finding.evidence) == (f"{CHECK}/final", Evidence.GUESS)
    assert finding.message == "no final status within the time allowed (last: 'WAITING')"


def test_messages_are_judged_by_their_codes_and_their_own_fixed_fields() -> None:
    def message(code: int, **changes: Any) -> dict[str, Any]:
        return {"id": "m", "phoneNumber": "0912", "message": "hi", "requestDate": 1, "partCount": 1,
                "status": code, **changes}

    _, findings, _ = _judged(_polled(message(0), message(2, partCount=2), message(1)), MESSAGE_RECORDS)
    assert [(f.check, f.evidence) for f in findings] == [(f"{CHECK}/partCount-changed", Evidence.GUESS)]
    _, findings, _ = _judged(_polled(message(0)), MESSAGE_RECORDS)
    assert [f.message for f in findings] == ["no final code within the time allowed (last: 0)"]
