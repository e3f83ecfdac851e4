"""Fixtures of the browser tests: one headless chromium for the session, one `bitel-mock serve`
on a manual clock, reset before each test, and the dashboard opened on it.

Without chromium and chromedriver every test here fails naming `apt-get install chromium
chromium-driver`; BITEL_MOCK_SKIP_BROWSER=1 turns that into a skip.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.browser import headless_chromium
from tests.browser.dashboard import Api, Dashboard
from tests.e2e.processes import Served, serving

START = 1_700_000_000
"""The manual clock's start: 2023-11-14T22:13:20Z."""
SERVE_ARGS = (
    # SQLite in the throwaway working directory `serving` runs in, one worker.
    *("--store", "sqlite:///dashboard.sqlite3", "--workers", "1"),
    *("--clock", "manual", "--start-time", str(START), "--seed", "7"),
)


@pytest.fixture(scope="session")
def driver() -> Iterator[WebDriver]:
    with headless_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def served() -> Iterator[Served]:
    with serving(*SERVE_ARGS) as emulator:
        yield emulator


@pytest.fixture
def api(served: Served) -> Api:
    """The emulator, reset: no calls, no rules, the clock at START."""
    api = Api(served.url)
    api.admin("POST", "/reset")
    assert api.now() == START
    return api


@pytest.fixture
def dashboard(driver: WebDriver, served: Served, api: Api) -> Iterator[Dashboard]:
    """The page opened on a reset emulator, its first poll done; the console holds only what
    this page logged."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    driver.get_log("browser")  # what earlier tests left is theirs
    page = Dashboard(driver, served.url).open().wait_ready()
    yield page
    driver.get("about:blank")  # no poll of this page runs into the next test's reset
