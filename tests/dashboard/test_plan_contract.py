"""The call's plan the page draws is documented field by field (AdminCallPlan, AdminCallAttempt,
no other field) and holds to what the document says of it, whatever the outcomes, retries and
time-to-live."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.domain.lifecycle import Timing
from tests.conftest import VOICE_ID
from tests.contract.admin_document import assert_documented
from tests.dashboard.pages import START, make_app

SPEC = contracts.openapi("admin-openapi.yaml")
DEFAULT_TIME_TO_LIVE = 14_400
"""--time-to-live's default: 4 hours."""
MAGIC = st.builds(
    lambda busy, code: f"0999000{busy:02d}{code:02d}",
    st.integers(0, 4),
    st.sampled_from([1, 2, 3, 10, 11, 20]),
)
NUMBERS = st.lists(st.one_of(MAGIC, st.just("09121234567")), min_size=1, max_size=5)


def _listed(numbers: list[str], retry_count: int, **settings_: Any) -> list[dict[str, Any]]:
    client = make_app(**settings_).test_client()
    body = {"phoneNumbers": numbers, "voiceId": VOICE_ID, "retryCount": retry_count}
    assert client.post("/api/v2/voice/batch", json=body, headers={"Authorization": "Bearer t"}).status_code == 200
    answer = client.get("/__admin/calls")
    return assert_documented(SPEC, "GET", "/__admin/calls", answer)["calls"]


def test_the_plan_and_attempt_schemas_name_exactly_the_fields_served() -> None:
    schemas = SPEC["components"]["schemas"]
    [call] = _listed(["09990000201"], 2)
    assert set(call["plan"]) == set(schemas["AdminCallPlan"]["required"]) == set(schemas["AdminCallPlan"]["properties"])
    for attempt in call["plan"]["attempts"]:
        assert set(attempt) == set(schemas["AdminCallAttempt"]["properties"])
    assert schemas["AdminCallPlan"]["additionalProperties"] is False


def test_the_default_time_to_live_is_four_hours_after_acceptance() -> None:
    assert Timing().time_to_live == DEFAULT_TIME_TO_LIVE
    [call] = _listed(["09121234567"], 0)
    assert call["expiresAt"] == START + DEFAULT_TIME_TO_LIVE


@settings(max_examples=40, deadline=None)
@given(numbers=NUMBERS, retry_count=st.integers(0, 4), time_to_live=st.integers(60, 20_000))
def test_every_listed_plan_holds_to_its_documentation(numbers: list[str], retry_count: int, time_to_live: int) -> None:
    for call in _listed(numbers, retry_count, timing=Timing(time_to_live=time_to_live)):
        plan = call["plan"]
        assert call["expiresAt"] == call["requestDate"] + time_to_live
        assert len(plan["attempts"]) <= retry_count + 1
        for attempt in plan["attempts"]:
            assert attempt["end"] == attempt["start"] + attempt["ringSeconds"] + attempt["talkSeconds"]
            assert (attempt["talkSeconds"] > 0) == (attempt["outcome"] == "NORMAL")
            assert call["requestDate"] <= attempt["start"] and attempt["end"] <= call["expiresAt"]
        for earlier, later in pairwise(plan["attempts"]):
            assert later["start"] > earlier["end"]
        if plan["status"] == "EXPIRED":
            assert plan["finalAt"] == plan["executionDate"] == call["expiresAt"]
        else:
            last = plan["attempts"][-1]
            assert (plan["status"], plan["finalAt"], plan["executionDate"]) == (last["outcome"], last["end"], last["start"])
        assert plan["billSec"] == (plan["attempts"][-1]["talkSeconds"] if plan["status"] == "NORMAL" else 0)
        assert plan["price"] <= 0
