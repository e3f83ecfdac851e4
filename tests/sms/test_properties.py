"""Properties of the SMS routes over generated requests and clock moves."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.domain.sms_model import FINAL_OUTCOMES, Message, MessageKind, SmsStatus
from bitel_mock.domain.sms_plan import SmsTiming, plan_message, record_at, status_at, wire_at
from tests.conftest import AUTH
from tests.sms.steps import (
    BATCH,
    OTP,
    P2P,
    SINGLE,
    TEMPLATE,
    advance,
    kept_messages,
    sms_app,
    status,
)

ERROR = contracts.validator("error-envelope")
MANY = contracts.validator("sms-batch-response")
local_numbers = st.from_regex(r"\A09[0-9]{9}\Z")
magic_numbers = st.sampled_from(
    ["09991000001", "09991000004", "09991000005", "09991000009", "09991000010"]
)
numbers = local_numbers | magic_numbers
sms_texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=200)

APP = sms_app()
CLIENT = APP.test_client()


def _kept() -> int:
    return len(kept_messages(APP))


def _post(path: str, body: Any) -> Any:
    return CLIENT.post(path, data=json.dumps(body), headers=AUTH, content_type="application/json")


ORDER = {SmsStatus.WAITING: 0, SmsStatus.CHECK_OK: 1}
"""Where a code stands in a message's life; every final code is last."""


def _rank(code: int) -> int:
    return ORDER.get(SmsStatus(code), 2)


@settings(max_examples=40)
@given(
    st.lists(numbers, min_size=1, max_size=10), st.lists(st.integers(0, 4), min_size=1, max_size=8)
)
def test_each_message_moves_forward_to_one_final_code_and_keeps_it(
    sent: list[str], steps: list[int]
) -> None:
    """Waiting, then CheckOk (possibly never seen), then one final code that never changes."""
    records = _post(BATCH, {"message": "Hi", "phoneNumbers": sent}).get_json()["result"]
    history: dict[str, list[dict[str, Any]]] = {r["id"]: [r] for r in records}
    for seconds in [*steps, 10]:
        advance(CLIENT, seconds)
        for message_id in history:
            history[message_id].append(status(CLIENT, message_id))
    for seen in history.values():
        ranks = [_rank(r["status"]) for r in seen]
        assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2
        finals = {r["status"] for r in seen if _rank(r["status"]) == 2}
        assert len(finals) == 1
        assert all(r["price"] == 0.0 for r in seen if r["status"] in (0, 5, 9, 10))
        assert {
            k: v for k, v in seen[-1].items() if k not in ("status", "statusText", "price")
        } == {k: v for k, v in seen[0].items() if k not in ("status", "statusText", "price")}


@given(
    st.sampled_from(sorted(FINAL_OUTCOMES, key=lambda s: s.code)),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(1, 20),
    st.lists(st.integers(0, 100), min_size=2, max_size=10),
)
def test_a_plan_passes_waiting_check_ok_final_in_order(
    outcome: SmsStatus, check: int, extra: int, parts: int, moments: list[int]
) -> None:
    plan = plan_message(
        request_date=1000,
        outcome=outcome,
        part_count=parts,
        timing=SmsTiming(check, check + extra, 14.0),
    )
    seen = [status_at(plan, 1000 + moment) for moment in sorted(moments)]
    assert [_rank(s.code) for s in seen] == sorted(_rank(s.code) for s in seen)
    assert status_at(plan, 1000 + check + extra) is outcome
    assert all(s in (SmsStatus.WAITING, SmsStatus.CHECK_OK, outcome) for s in seen)
    if outcome not in (SmsStatus.DELIVERED, SmsStatus.DELIVERY_FAILED):
        assert SmsStatus.CHECK_OK not in seen


@settings(max_examples=50)
@given(st.lists(st.tuples(numbers, sms_texts), min_size=1, max_size=100))
def test_p2p_keeps_the_request_order(pairs: list[tuple[str, str]]) -> None:
    before = _kept()
    body = {"phoneNumbers": [n for n, _ in pairs], "messages": [m for _, m in pairs]}
    response = _post(P2P, body)
    assert response.status_code == 200
    MANY.validate(response.get_json())
    records = response.get_json()["result"]
    assert [(r["phoneNumber"], r["message"]) for r in records] == pairs
    assert len({r["id"] for r in records}) == len(records)
    assert _kept() == before + len(pairs)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
not_strings = json_values.filter(lambda v: not isinstance(v, str))
wrong_types = (
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer())
    | st.dictionaries(st.text(max_size=6), json_values, max_size=3)
)
"""Values of no field's type (no string, list or whole number)."""
bad_numbers = st.text(max_size=14).filter(
    lambda n: not (len(n) == 11 and n.startswith("09") and n.isascii() and n.isdigit())
)


@st.composite
def invalid_bodies(draw: st.DrawFn) -> tuple[str, Any]:
    """A route and a body it must refuse with InvalidRequest."""
    good_number = draw(local_numbers)
    path, body = draw(
        st.sampled_from(
            [
                (SINGLE, {"message": "Hi", "phoneNumber": good_number}),
                (BATCH, {"message": "Hi", "phoneNumbers": [good_number]}),
                (P2P, {"messages": ["Hi"], "phoneNumbers": [good_number]}),
                (OTP, {"phoneNumber": good_number, "appName": "Bitel", "code": "1234"}),
                (
                    TEMPLATE,
                    {"phoneNumber": good_number, "templateId": 1234, "params": ["a", "b", "c"]},
                ),
            ]
        )
    )
    body = dict(body)
    how = draw(st.sampled_from(["drop", "retype", "empty", "number", "count", "lengths", "whole"]))
    if how == "whole":
        return path, draw(not_strings.filter(lambda v: not isinstance(v, dict)))
    if how == "drop":
        del body[draw(st.sampled_from(sorted(body)))]
    elif how == "retype":
        key = draw(st.sampled_from(sorted(body)))
        body[key] = draw(wrong_types)
    elif how == "empty":
        for key in ("message", "appName", "code"):
            if key in body:
                body[key] = ""
        if "messages" in body:
            body["messages"] = ["Hi", ""]
            body["phoneNumbers"] = [good_number, good_number]
        if path == TEMPLATE:
            body["params"] = [1, 2, 3]
    elif how == "number":
        bad = draw(bad_numbers)
        if "phoneNumbers" in body:
            body["phoneNumbers"] = [good_number, bad]
            if "messages" in body:
                body["messages"] = ["a", "b"]
        else:
            body["phoneNumber"] = bad
    elif how == "count":
        if "phoneNumbers" not in body:
            body["phoneNumber"] = [good_number]
        else:
            size = draw(st.sampled_from([0, 101]))
            body["phoneNumbers"] = [good_number] * size
            if "messages" in body:
                body["messages"] = ["a"] * size
    else:  # lengths
        if path == P2P:
            extra = draw(st.integers(1, 5))
            body["messages"] = ["a"] * (1 + extra) if draw(st.booleans()) else ["a"]
            body["phoneNumbers"] = (
                [good_number] * (1 + extra) if len(body["messages"]) == 1 else [good_number]
            )
        else:
            body["phoneNumbers" if "phoneNumbers" in body else "phoneNumber"] = None
    return path, body


@given(invalid_bodies())
def test_an_invalid_body_is_a_documented_400_and_keeps_nothing(case: tuple[str, Any]) -> None:
    path, body = case
    before = _kept()
    response = _post(path, body)
    assert response.status_code == 400, (path, body, response.get_json())
    ERROR.validate(response.get_json())
    assert response.get_json()["error"] == "InvalidRequest"
    assert _kept() == before


@given(
    st.sampled_from(sorted(FINAL_OUTCOMES, key=lambda s: s.code)),
    st.integers(1, 12),
    st.integers(-5, 20),
    st.sampled_from([MessageKind.SINGLE, MessageKind.P2P]),
)
def test_the_fast_wire_record_is_the_record_sent(
    outcome: SmsStatus, parts: int, moment: int, kind: MessageKind
) -> None:
    plan = plan_message(request_date=1000, outcome=outcome, part_count=parts, timing=SmsTiming())
    message = Message(
        "0" * 32, 1, "09121234567", "09121234567", kind, "10009909", "Hi", 1000, parts, plan
    )
    assert wire_at(message, 1000 + moment) == record_at(message, 1000 + moment).to_wire()
