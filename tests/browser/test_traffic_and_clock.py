"""Live traffic and the clock, in a real browser: calls placed through the API appear without a
reload, and the page's clock buttons move the emulator's clock and every row with it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import START
from tests.browser.dashboard import Api, Dashboard

pytestmark = pytest.mark.browser

TIME_TO_LIVE = 14400
"""The default --time-to-live."""
MOST_TABS = 80
"""Tab presses allowed to reach a clock button from the top of the page."""
MOST_NEXT_EVENTS = 12


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [record["id"] for record in records]


def test_calls_placed_after_the_page_opened_appear_waiting_without_a_reload(
    dashboard: Dashboard, api: Api
) -> None:
    assert dashboard.rows() == {}
    dashboard.driver.execute_script("window.__sameDocument = true")
    first = api.place("09121234567", "09351234567")
    later = api.place("09990000003")
    everything = first + later
    dashboard.wait_statuses({call_id: "WAITING" for call_id in ids(everything)}, "calls never shown")

    rows = dashboard.rows()
    assert list(rows) == ids(later) + ids(first)[::-1], "newest first"
    kinds = {call_id: call["kind"] for call_id, call in api.calls().items()}
    for record in everything:
        row = rows[record["id"]]
        assert dashboard.find("number", row).text == record["phoneNumber"]
        assert dashboard.find("status", row).text == "WAITING"
        assert row.get_attribute("data-kind") == kinds[record["id"]] == "batch"
    assert dashboard.driver.execute_script("return window.__sameDocument === true"), "reloaded"


def test_an_sms_message_appears_beside_the_calls(dashboard: Dashboard, api: Api) -> None:
    [call] = api.place("09121234567")
    response = api.session.post(
        f"{api.url}/api/v2/sms/single",
        json={"message": "Hi there", "phoneNumber": "09351234567"},
        headers={"Authorization": "Bearer t"},
        timeout=30,
    )
    message = response.json()["result"]
    dashboard.wait_statuses({call["id"]: "WAITING"}, "the call never shown")
    dashboard.until(lambda: message["id"] in dashboard.rows(), "the message never shown")
    rows = dashboard.rows()
    [listed] = api.admin("GET", "/sms/messages")["messages"]
    assert dashboard.find("number", rows[message["id"]]).text == "09351234567"
    assert rows[message["id"]].get_attribute("data-kind") == listed["kind"]
    assert rows[call["id"]].get_attribute("data-kind") == "batch" != listed["kind"]
    assert rows[message["id"]].get_attribute("data-status") == "WAITING"


def test_advance_hour_turns_waiting_rows_into_their_final_statuses(
    dashboard: Dashboard, api: Api
) -> None:
    placed = api.place("09990000001", "09990000002", "09990000003", retry_count=2)
    dashboard.wait_statuses({call_id: "WAITING" for call_id in ids(placed)}, "calls never shown")

    dashboard.click("advance-hour")

    dashboard.wait_clock(START + 3600)
    assert api.now() == START + 3600
    assert dashboard.clock_text_epoch() == START + 3600
    final = api.statuses()
    assert [final[call_id] for call_id in ids(placed)] == ["NORMAL", "NO_ANSWER", "USER_BUSY"]
    dashboard.wait_statuses(final, "rows never turned final")
    for call_id, row in dashboard.rows().items():
        assert dashboard.find("status", row).text == final[call_id]


def test_advance_minute_moves_the_clock_sixty_seconds(dashboard: Dashboard, api: Api) -> None:
    assert dashboard.clock_epoch() == START
    assert dashboard.find("clock-mode").text.strip().lower() == "manual"
    dashboard.click("advance-minute")
    dashboard.wait_clock(START + 60)
    assert api.now() == START + 60


def test_advance_to_the_time_to_live_expires_what_never_finishes(
    dashboard: Dashboard, api: Api
) -> None:
    [expiring] = api.place("09990000010")
    dashboard.wait_statuses({expiring["id"]: "WAITING"}, "the call never shown")

    dashboard.click("advance-ttl")

    dashboard.wait_statuses({expiring["id"]: "EXPIRED"}, "the call never expired on the page")
    now = api.now()
    assert now >= START + TIME_TO_LIVE
    dashboard.wait_clock(now)


def plan_moments(call: dict[str, Any]) -> set[int]:
    """Every moment the call's plan names: each attempt's start, answer and end, and its end."""
    plan = call["plan"]
    moments = {plan["finalAt"]}
    for attempt in plan["attempts"]:
        moments |= {attempt["start"], attempt["start"] + attempt["ringSeconds"], attempt["end"]}
    return moments


def test_advance_to_the_next_event_steps_through_the_plan_and_stops_at_its_end(
    dashboard: Dashboard, api: Api
) -> None:
    [placed] = api.place("09990000201", retry_count=2)  # busy twice, then answered
    dashboard.wait_statuses({placed["id"]: "WAITING"}, "the call never shown")
    call = api.calls()[placed["id"]]
    moments = plan_moments(call)

    seen = [START]
    for _ in range(MOST_NEXT_EVENTS):
        dashboard.click("advance-next")
        dashboard.until(lambda: dashboard.clock_epoch() > seen[-1], "the clock never moved")
        seen.append(api.now())
        assert seen[-1] in moments, f"{seen[-1]} is no moment of the plan {sorted(moments)}"
        dashboard.wait_clock(seen[-1])
        if api.statuses()[placed["id"]] != "WAITING":
            break
    assert seen[-1] == call["plan"]["finalAt"], seen
    assert len(seen) > 2, "one step went past an event"
    dashboard.wait_statuses({placed["id"]: "NORMAL"}, "the call never shown answered")


def test_the_set_time_form_moves_the_clock_there(dashboard: Dashboard, api: Api) -> None:
    target = datetime.fromtimestamp(START + 7200, tz=UTC)
    dashboard.set_clock(target)
    dashboard.wait_clock(START + 7200)
    assert api.now() == START + 7200
    assert dashboard.clock_text_epoch() == START + 7200


def test_tab_reaches_the_advance_buttons_and_enter_presses_one(
    dashboard: Dashboard, api: Api
) -> None:
    driver = dashboard.driver
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    keys = ActionChains(driver)
    for _ in range(MOST_TABS):
        keys.send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element
        if focused.get_attribute("data-testid") == "advance-minute":
            break
    else:
        pytest.fail(f"{MOST_TABS} presses of Tab never reached the +1 minute button")

    outline, shadow = driver.execute_script(
        "const style = getComputedStyle(document.activeElement);"
        "return [style.outlineStyle, style.boxShadow]"
    )
    assert outline != "none" or shadow != "none", "the focused button shows no focus"

    ActionChains(driver).send_keys(Keys.ENTER).perform()
    dashboard.wait_clock(START + 60)
    assert api.now() == START + 60
