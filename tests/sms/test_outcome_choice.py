"""How a message's outcome is chosen: scenario rules of kind `sms` (by number or pattern), then
magic numbers, then the `--outcomes` distribution's `sms:` weights, then DELIVERED."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from bitel_mock import contracts
from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import Distribution, RuleKind, ScenarioRule
from bitel_mock.domain.sms_model import MessageKind, SmsStatus
from bitel_mock.domain.sms_outcomes import choose_outcome
from tests.conftest import AUTH, VOICE_ID
from tests.sms.steps import BATCH, OTP, advance, send, sms_app, status

RULE = contracts.validator("admin-scenario")


def _finals(client: Any, numbers: list[str], path: str = BATCH) -> list[str]:
    records = send(client, path, {"message": "Hi", "phoneNumbers": numbers})
    advance(client, 60)
    return [status(client, record["id"])["statusText"] for record in records]


def test_an_sms_rule_sets_the_outcome_of_messages_to_its_number() -> None:
    client = sms_app().test_client()
    added = client.post(
        "/__admin/scenarios", json={"kind": "sms", "number": "09121111111", "outcome": "BLACKLIST"}
    )
    assert added.status_code == 201
    shown = added.get_json()
    RULE.validate(shown)
    assert {k: v for k, v in shown.items() if k != "id"} == {
        "kind": "sms",
        "outcome": "BLACKLIST",
        "number": "09121111111",
        "createdAt": 1_700_000_000,
    }
    assert _finals(client, ["09121111111", "09122222222"]) == ["Blacklist", "Delivered"]


def test_a_pattern_rule_wins_over_a_magic_number_and_the_newest_rule_wins() -> None:
    client = sms_app().test_client()
    client.post("/__admin/scenarios", json={"kind": "sms", "pattern": "^0999", "outcome": "ERROR"})
    client.post(
        "/__admin/scenarios", json={"kind": "sms", "pattern": "4$", "outcome": "CHECK_ERROR"}
    )
    assert _finals(client, ["09991000004", "09991000001", "09121234567"]) == [
        "CheckError",
        "Error",
        "Delivered",
    ]


def test_sms_rules_and_call_rules_do_not_meet() -> None:
    client = sms_app().test_client()
    client.post("/__admin/scenarios", json={"number": "09121111111", "attempts": ["USER_BUSY"]})
    client.post(
        "/__admin/scenarios", json={"kind": "sms", "number": "09121111111", "outcome": "ERROR"}
    )
    call = client.post(
        "/api/v2/voice/single",
        json={"phoneNumber": "09121111111", "voiceId": VOICE_ID, "retryCount": 0},
        headers=AUTH,
    )
    assert _finals(client, ["09121111111"]) == ["Error"]
    advance(client, 86_400)
    answer = client.get(f"/api/v2/voice/status/{call.get_json()['result']['id']}", headers=AUTH)
    assert answer.get_json()["result"]["status"] == "USER_BUSY"
    listed = client.get("/__admin/scenarios").get_json()["scenarios"]
    assert [("kind" in rule, "attempts" in rule) for rule in listed] == [
        (False, True),
        (True, False),
    ]


def test_an_otp_rule_to_blacklist_still_delivers() -> None:
    client = sms_app().test_client()
    client.post(
        "/__admin/scenarios", json={"kind": "sms", "number": "09121111111", "outcome": "BLACKLIST"}
    )
    record = send(client, OTP, {"phoneNumber": "09121111111", "appName": "Bitel", "code": "1"})
    advance(client, 60)
    assert status(client, record["id"])["statusText"] == "Delivered"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "sms", "number": "09121111111"},
        {"kind": "sms", "number": "09121111111", "outcome": "WAITING"},
        {"kind": "sms", "number": "09121111111", "outcome": "CHECK_OK"},
        {"kind": "sms", "number": "09121111111", "outcome": "NORMAL"},
        {"kind": "sms", "number": "09121111111", "outcome": "ERROR", "attempts": ["NORMAL"]},
        {"number": "09121111111", "outcome": "ERROR"},
        {"kind": "call", "number": "09121111111", "outcome": "ERROR", "attempts": ["NORMAL"]},
        {"kind": "fax", "number": "09121111111", "attempts": ["NORMAL"]},
        {"kind": "sms", "outcome": "ERROR"},
        {"kind": "sms", "number": "12", "outcome": "ERROR"},
    ],
)
def test_a_malformed_sms_rule_is_400_and_keeps_nothing(body: dict[str, Any]) -> None:
    client = sms_app().test_client()
    assert client.post("/__admin/scenarios", json=body).status_code == 400
    assert client.get("/__admin/scenarios").get_json()["scenarios"] == []


def test_the_distribution_draws_message_outcomes_from_its_sms_weights_only() -> None:
    client = sms_app(outcomes=Distribution.parse("NO_ANSWER=1,sms:DELIVERY_FAILED=1")).test_client()
    assert _finals(client, ["09121234567", "09121234568"]) == ["DeliveryFailed", "DeliveryFailed"]
    call = client.post(
        "/api/v2/voice/single",
        json={"phoneNumber": "09121234567", "voiceId": VOICE_ID},
        headers=AUTH,
    )
    advance(client, 86_400)
    answer = client.get(f"/api/v2/voice/status/{call.get_json()['result']['id']}", headers=AUTH)
    assert answer.get_json()["result"]["status"] == "NO_ANSWER"


def test_call_weights_alone_leave_messages_delivered() -> None:
    client = sms_app(outcomes=Distribution.parse("NO_ANSWER=1")).test_client()
    assert _finals(client, ["09121234567"]) == ["Delivered"]


def test_a_magic_number_wins_over_the_distribution() -> None:
    client = sms_app(outcomes=Distribution.parse("sms:ERROR=1")).test_client()
    assert _finals(client, ["09991000004", "09121234567"]) == ["DeliveryFailed", "Error"]


def test_a_seeded_distribution_draws_the_same_outcomes_again() -> None:
    weights = Distribution.parse("sms:DELIVERED=1,sms:DELIVERY_FAILED=1,sms:BLACKLIST=1")
    numbers = [f"0912000{n:04d}" for n in range(60)]
    runs = [_finals(sms_app(outcomes=weights, seed=11).test_client(), numbers) for _ in range(2)]
    assert runs[0] == runs[1]
    assert set(runs[0]) == {"Delivered", "DeliveryFailed", "Blacklist"}


def test_draws_follow_the_weights() -> None:
    weights = Distribution.parse("sms:DELIVERED=0.75,sms:CHECK_ERROR=0.25")
    rng = random.Random(3)
    drawn = Counter(
        choose_outcome("09121234567", MessageKind.SINGLE, [], weights, rng) for _ in range(4000)
    )
    assert set(drawn) == {SmsStatus.DELIVERED, SmsStatus.CHECK_ERROR}
    assert 0.70 < drawn[SmsStatus.DELIVERED] / 4000 < 0.80


@pytest.mark.parametrize(
    ("text", "calls", "messages"),
    [
        (
            "sms:DELIVERED=0.9,sms:DELIVERY_FAILED=0.1",
            {},
            {SmsStatus.DELIVERED: 0.9, SmsStatus.DELIVERY_FAILED: 0.1},
        ),
        ("NORMAL=1, SMS:error=2", {CallStatus.NORMAL: 1.0}, {SmsStatus.ERROR: 2.0}),
        ("ERROR=1,sms:ERROR=3", {CallStatus.ERROR: 1.0}, {SmsStatus.ERROR: 3.0}),
    ],
)
def test_sms_weights_are_named_with_the_sms_prefix(
    text: str, calls: dict[Any, float], messages: dict[Any, float]
) -> None:
    parsed = Distribution.parse(text)
    assert (dict(parsed.weights), dict(parsed.message_weights)) == (calls, messages)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "sms:WAITING=1",
            "unknown message outcome 'sms:WAITING' (known: sms:DELIVERED, sms:DELIVERY_FAILED, sms:BLACKLIST, sms:ERROR, sms:CHECK_ERROR)",
        ),
        ("sms:CHECK_OK=1", "unknown message outcome"),
        ("sms:NORMAL=1", "unknown message outcome"),
        ("sms:DELIVERED", "is not STATUS=WEIGHT"),
        ("sms:DELIVERED=-1", "must not be negative"),
        ("sms:DELIVERED=0", "must not all be zero"),
        ("DELIVERED=1", "unknown outcome 'DELIVERED'"),
    ],
)
def test_a_bad_sms_weight_is_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why.replace("(", r"\(").replace(")", r"\)")):
        Distribution.parse(text)


def test_a_rule_is_either_for_calls_with_attempts_or_for_messages_with_an_outcome() -> None:
    with pytest.raises(ValueError):
        ScenarioRule("r", (), number="09121111111", kind=RuleKind.SMS)
    with pytest.raises(ValueError):
        ScenarioRule(
            "r", (), number="09121111111", kind=RuleKind.SMS, message_outcome=SmsStatus.CHECK_OK
        )
    with pytest.raises(ValueError):
        ScenarioRule("r", (), number="09121111111", message_outcome=SmsStatus.ERROR)
    rule = ScenarioRule(
        "r", (), number="09121111111", kind=RuleKind.SMS, message_outcome=SmsStatus.ERROR
    )
    assert (
        choose_outcome("09121111111", MessageKind.BATCH, [rule], None, random.Random())
        is SmsStatus.ERROR
    )
