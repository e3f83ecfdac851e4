"""Scenario rules made on the page decide real calls; a call's detail draws its plan and lets
its webhook be sent again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.dashboard import Api, Dashboard
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.browser

NUMBER = "09121234567"
SVG_SHAPES = "rect, line, path, circle, ellipse, polyline, polygon"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def test_a_rule_added_on_the_page_decides_the_next_call_and_its_button_removes_it(
    dashboard: Dashboard, api: Api
) -> None:
    dashboard.add_rule(NUMBER, "USER_BUSY")

    dashboard.until(lambda: len(dashboard.find_all("scenario-row")) == 1, "the rule never listed")
    assert NUMBER in dashboard.find("scenario-row").text
    [rule] = api.scenarios()
    assert (rule["number"], rule["attempts"]) == (NUMBER, [{"status": "USER_BUSY"}])

    [placed] = api.place(NUMBER)
    dashboard.tab("traffic")
    dashboard.wait_statuses({placed["id"]: "WAITING"}, "the call never shown")
    dashboard.click("advance-hour")
    dashboard.wait_statuses({placed["id"]: "USER_BUSY"}, "the rule did not decide the call")
    assert api.statuses()[placed["id"]] == "USER_BUSY"

    dashboard.tab("outcomes")
    dashboard.nested("scenario-row", "scenario-remove")[0].click()
    dashboard.until(lambda: not dashboard.find_all("scenario-row"), "the rule is still listed")
    assert api.scenarios() == []


def timeline_shapes(dashboard: Dashboard) -> int:
    [timeline] = dashboard.nested("call-detail", "timeline")
    assert timeline.tag_name == "svg"
    return len(timeline.find_elements(By.CSS_SELECTOR, SVG_SHAPES))


def test_a_row_opens_the_call_with_a_timeline_drawing_every_attempt(
    dashboard: Dashboard, api: Api
) -> None:
    [thrice] = api.place("09990000002", retry_count=2)  # no answer, three times
    [once] = api.place("09990000001")
    dashboard.wait_statuses({thrice["id"]: "WAITING", once["id"]: "WAITING"}, "calls never shown")
    attempts = len(api.calls()[thrice["id"]]["plan"]["attempts"])
    assert attempts == 3

    dashboard.open_call(thrice["id"], "09990000002")
    dashboard.until(lambda: timeline_shapes(dashboard) >= attempts, "fewer shapes than attempts")
    drawn_for_three = timeline_shapes(dashboard)

    dashboard.tab("traffic")
    dashboard.rows()[once["id"]].send_keys(Keys.ENTER)  # the keyboard opens a row too
    dashboard.until(
        lambda: "09990000001" in dashboard.find("call-detail").text, "Enter did not open the call"
    )
    assert 1 <= timeline_shapes(dashboard) < drawn_for_three, "three attempts drawn as one"


def test_redeliver_sends_the_webhook_once_more(
    dashboard: Dashboard, api: Api, receiver: Receiver
) -> None:
    api.admin("POST", "/webhooks/config", {"url": receiver.url})
    [placed] = api.place("09990000001")
    dashboard.wait_statuses({placed["id"]: "WAITING"}, "the call never shown")
    dashboard.click("advance-hour")
    dashboard.wait_statuses({placed["id"]: "NORMAL"}, "the call never finished")
    [first] = receiver.wait_for(1)
    assert first.json()["requestId"] == placed["id"]

    dashboard.open_call(placed["id"], "09990000001")
    dashboard.until(
        lambda: len(dashboard.nested("call-detail", "delivery-row")) == 1, "no delivery row"
    )
    dashboard.nested("call-detail", "delivery-row", "redeliver")[0].click()

    _, again = receiver.wait_for(2)
    assert again.body == first.body
    # The receiver answers before the emulator journals the redelivery: the page's list, which
    # grows once the journal has it, is what says the redelivery is done.
    dashboard.until(
        lambda: len(dashboard.nested("call-detail", "delivery-row")) == 2, "the list never grew"
    )
    assert sorted(d["kind"] for d in api.deliveries(placed["id"])) == ["delivery", "redelivery"]
    assert len(receiver.requests) == 2, "one click sent one webhook"
