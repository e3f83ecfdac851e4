"""Debian's chromium, headless, driven through its own chromedriver: found, or a clear failure.

Selenium Manager never runs: the driver's path is given to the Service and SE_OFFLINE is set,
so no lookup or download leaves this machine.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

INSTALL_HINT = "apt-get install chromium chromium-driver"
SKIP_VARIABLE = "BITEL_MOCK_SKIP_BROWSER"
BROWSER_NAMES = ("chromium", "chromium-browser")
DRIVER_PATHS = ("/usr/bin/chromedriver",)
WINDOW_SIZE = (1280, 900)
HEADLESS_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
)


def find_browser() -> str | None:
    return next(filter(None, map(shutil.which, BROWSER_NAMES)), None)


def find_driver() -> str | None:
    found = [path for path in DRIVER_PATHS if os.access(path, os.X_OK)]
    return found[0] if found else shutil.which("chromedriver")


def require_browser() -> tuple[str, str]:
    """Chromium's and chromedriver's paths; fails (or, with BITEL_MOCK_SKIP_BROWSER=1, skips)
    naming the packages to install when either is missing."""
    browser, driver = find_browser(), find_driver()
    missing = [name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path]
    if not missing:
        assert browser and driver
        return browser, driver
    reason = (
        f"the dashboard's browser tests need {' and '.join(missing)}: {INSTALL_HINT} "
        f"(or set {SKIP_VARIABLE}=1 to skip them)"
    )
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(reason)
    pytest.fail(reason, pytrace=False)


def options(browser: str, profile: Path) -> webdriver.ChromeOptions:
    chosen = webdriver.ChromeOptions()
    chosen.binary_location = browser
    for argument in HEADLESS_ARGUMENTS:
        chosen.add_argument(argument)
    chosen.add_argument(f"--user-data-dir={profile}")
    chosen.add_argument("--window-size={},{}".format(*WINDOW_SIZE))
    chosen.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return chosen


@contextmanager
def headless_chromium() -> Iterator[webdriver.Chrome]:
    """One headless chromium for as long as the block runs, with a throwaway profile."""
    browser, driver_path = require_browser()
    with (
        pytest.MonkeyPatch.context() as patch,
        tempfile.TemporaryDirectory(prefix="bitel-mock-chromium-") as profile,
    ):
        patch.setenv("SE_OFFLINE", "true")
        driver = webdriver.Chrome(
            options=options(browser, Path(profile)), service=Service(executable_path=driver_path)
        )
        try:
            yield driver
        finally:
            driver.quit()
