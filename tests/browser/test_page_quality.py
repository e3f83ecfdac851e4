"""What the page owes its reader: data shown as text, a quiet console, legible colours in light
and dark mode, and a screenshot of its main view."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import START
from tests.browser.dashboard import Api, Dashboard

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "artifacts" / "dashboard.png"
DOCS_SCREENSHOT = ROOT / "docs" / "dashboard.png"
UPDATE_VARIABLE = "BITEL_MOCK_UPDATE_SCREENSHOT"
SCREENSHOT_WINDOW = (1600, 1000)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
INJECTED = '<img src=x onerror=document.body.dataset.injected=1>'
TABS = ("traffic", "outcomes", "journal", "webhooks", "faults", "glance")
MIN_CONTRAST = 4.5
DARK_LUMINANCE = 0.1
LIGHT_LUMINANCE = 0.5
"""WCAG relative luminances: below the first is a dark colour, above the second a light one."""

COLOURS = """
const opaque = (colour) => !/rgba\\(.*,\\s*0\\)$/.test(colour) && colour !== 'transparent';
const page = getComputedStyle(document.documentElement);
const body = getComputedStyle(document.body);
const background = [body.backgroundColor, page.backgroundColor].find(opaque)
    ?? (page.colorScheme.includes('dark') ? 'rgb(18, 18, 18)' : 'rgb(255, 255, 255)');
return [background, body.color];
"""


def rgb(colour: str) -> tuple[float, float, float]:
    channels = colour[colour.index("(") + 1 : colour.index(")")].replace("/", ",").split(",")
    red, green, blue = (float(channel) for channel in channels[:3])
    return red, green, blue


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a computed `rgb(...)` colour."""

    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = map(linear, rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_luminance_of_black_and_white() -> None:
    assert luminance("rgb(0, 0, 0)") == 0
    assert luminance("rgb(255, 255, 255)") == pytest.approx(1)
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)


def visit_every_tab(dashboard: Dashboard) -> None:
    for name in TABS:
        dashboard.tab(name)
        dashboard.until(lambda: dashboard.body_data("ready") == "1", f"the {name} tab broke")


def test_text_from_the_api_is_shown_as_text(dashboard: Dashboard, api: Api) -> None:
    api.admin("POST", "/scenarios", {"pattern": INJECTED, "attempts": ["NORMAL"]}, expect=201)
    refused = api.session.post(
        f"{api.url}/api/v2/voice/batch",
        json={"phoneNumbers": [INJECTED], "voiceId": "08e815cbcd724386805103ac0d45e4c2"},
        headers={"Authorization": "Bearer t"},
        timeout=30,
    )
    assert refused.status_code == 400

    dashboard.tab("outcomes")
    dashboard.until(lambda: INJECTED in dashboard.find("scenario-row").text, "pattern not shown")
    dashboard.tab("journal")
    dashboard.until(
        lambda: any(
            INJECTED in (row.get_attribute("textContent") or "")
            for row in dashboard.find_all("journal-row")
        ),
        "the refused body never shown in the journal",
    )
    visit_every_tab(dashboard)

    driver = dashboard.driver
    assert driver.execute_script("return document.querySelectorAll('img[src=x], [onerror]').length") == 0
    assert dashboard.body_data("injected") is None


def test_the_console_stays_quiet_while_the_page_is_used(dashboard: Dashboard, api: Api) -> None:
    [answered, busy] = api.place("09990000001", "09990000003")
    dashboard.wait_statuses({answered["id"]: "WAITING", busy["id"]: "WAITING"}, "calls not shown")
    dashboard.click("advance-hour")
    dashboard.wait_statuses({answered["id"]: "NORMAL", busy["id"]: "USER_BUSY"}, "not final")
    dashboard.open_call(answered["id"], answered["phoneNumber"])
    dashboard.add_rule("09121234567", "NO_ANSWER")
    dashboard.until(lambda: dashboard.find_all("scenario-row"), "the rule never listed")
    visit_every_tab(dashboard)
    dashboard.tab("traffic")
    polled = dashboard.driver.execute_script("return performance.getEntriesByType('resource').length")
    dashboard.until(
        lambda: dashboard.driver.execute_script(
            "return performance.getEntriesByType('resource').length"
        ) > polled + 2,
        "the page stopped polling",
    )

    entries = dashboard.driver.get_log("browser")
    loud = [entry for entry in entries if entry["level"] in ("SEVERE", "WARNING")]
    assert loud == [], loud


def body_colours(driver: WebDriver) -> tuple[str, str]:
    background, text = driver.execute_script(COLOURS)
    return background, text


def test_light_and_dark_colours_are_legible(dashboard: Dashboard) -> None:
    driver = dashboard.driver
    light_background, light_text = body_colours(driver)
    assert luminance(light_background) > LIGHT_LUMINANCE, light_background
    assert contrast(light_background, light_text) >= MIN_CONTRAST

    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    try:
        assert driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
        dashboard.until(
            lambda: luminance(body_colours(driver)[0]) < DARK_LUMINANCE,
            "the page stayed light under prefers-color-scheme: dark",
        )
        dark_background, dark_text = body_colours(driver)
        assert luminance(dark_text) > LIGHT_LUMINANCE, dark_text
        assert contrast(dark_background, dark_text) >= MIN_CONTRAST
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_a_screenshot_of_the_main_view(dashboard: Dashboard, api: Api) -> None:
    placed = api.place("09990000001", "09990000002", "09990000003", "09990000010", retry_count=2)
    dashboard.wait_statuses({record["id"]: "WAITING" for record in placed}, "calls not shown")
    dashboard.click("advance-hour")
    dashboard.wait_clock(START + 3600)
    statuses = api.statuses()
    dashboard.wait_statuses(statuses, "rows never turned final")
    [waiting] = api.place("09121234567")
    dashboard.wait_statuses({waiting["id"]: "WAITING"}, "the last call never shown")
    no_answer = placed[1]
    dashboard.open_call(no_answer["id"], no_answer["phoneNumber"])
    assert {"NORMAL", "NO_ANSWER", "USER_BUSY", "WAITING"} <= set(dashboard.row_statuses().values())

    SCREENSHOT.parent.mkdir(exist_ok=True)
    driver = dashboard.driver
    kept_size = driver.get_window_size()
    driver.set_window_size(*SCREENSHOT_WINDOW)
    try:
        driver.execute_script(
            "window.scrollTo(0, 0);"
            "for (const box of document.querySelectorAll('*')) box.scrollLeft = 0;"
            "document.activeElement && document.activeElement.blur()"
        )
        assert driver.save_screenshot(str(SCREENSHOT))
    finally:
        driver.set_window_size(kept_size["width"], kept_size["height"])
    assert SCREENSHOT.read_bytes().startswith(PNG_MAGIC)
    if os.environ.get(UPDATE_VARIABLE) == "1":
        shutil.copyfile(SCREENSHOT, DOCS_SCREENSHOT)


def test_screenshots_are_kept_out_of_git() -> None:
    assert "artifacts/" in (ROOT / ".gitignore").read_text().splitlines()
