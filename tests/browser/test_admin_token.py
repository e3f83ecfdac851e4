"""With `--admin-token`, the page asks for the token once, keeps it for the tab, and shows a
refusal when it is wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import SERVE_ARGS
from tests.browser.dashboard import Api, Dashboard, submit
from tests.e2e.processes import Served, serving

pytestmark = pytest.mark.browser

ADMIN_TOKEN = "dashboard-admin-secret"


@pytest.fixture(scope="module")
def guarded() -> Iterator[Served]:
    with serving(*SERVE_ARGS, "--admin-token", ADMIN_TOKEN) as emulator:
        yield emulator


@pytest.fixture
def fresh_tab(driver: WebDriver, guarded: Served) -> Iterator[Dashboard]:
    """The page on the guarded emulator, with nothing kept from an earlier visit."""
    Api(guarded.url, ADMIN_TOKEN).admin("POST", "/reset")
    page = Dashboard(driver, guarded.url).open()
    driver.execute_script("sessionStorage.clear()")
    page.open()
    yield page
    driver.get("about:blank")


def enter_token(page: Dashboard, token: str) -> None:
    form = page.until(
        lambda: page.find("token-form").is_displayed() and page.find("token-form"),
        "the page never asked for the token",
    )
    field = form.find_element(By.CSS_SELECTOR, "input[name=token]")
    field.clear()
    field.send_keys(token)
    submit(form)


def test_the_page_asks_for_the_token_once_then_shows_the_traffic(
    fresh_tab: Dashboard, guarded: Served
) -> None:
    api = Api(guarded.url, ADMIN_TOKEN)
    [placed] = api.place("09121234567")
    assert Api(guarded.url).admin("GET", "/calls", expect=401)["error"] == "Unauthorized"

    enter_token(fresh_tab, ADMIN_TOKEN)

    fresh_tab.wait_ready()
    fresh_tab.wait_statuses({placed["id"]: "WAITING"}, "the traffic never loaded")
    kept = fresh_tab.driver.execute_script("return Object.values(sessionStorage)")
    assert ADMIN_TOKEN in kept

    fresh_tab.open().wait_ready()  # a reload uses the kept token: no second question
    assert not any(form.is_displayed() for form in fresh_tab.find_all("token-form"))
    fresh_tab.wait_statuses({placed["id"]: "WAITING"}, "the traffic never loaded again")


def test_a_wrong_token_shows_the_refusal_and_no_traffic(
    fresh_tab: Dashboard, guarded: Served
) -> None:
    Api(guarded.url, ADMIN_TOKEN).place("09121234567")

    enter_token(fresh_tab, "not-the-token")

    fresh_tab.until(
        lambda: "not accepted" in fresh_tab.driver.find_element(By.TAG_NAME, "body").text,
        "the refusal of a wrong token is never shown",
    )
    assert fresh_tab.rows() == {}
    assert fresh_tab.body_data("ready") != "1"
    # The page's hooks for a failed poll: the message on the body and in the error line.
    error = fresh_tab.until(
        lambda: fresh_tab.find("error").is_displayed() and fresh_tab.find("error").text.strip(),
        "a wrong token does not show [data-testid=error]",
    )
    assert "not accepted" in error
    assert fresh_tab.body_data("error") == error
