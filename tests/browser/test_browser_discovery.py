"""Without chromium or chromedriver the browser tests fail naming the packages to install, and
skip only when BITEL_MOCK_SKIP_BROWSER=1 says so: a missing CI install never passes silently."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.chrome.service import Service

from tests.browser import browser


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "find_browser", lambda: None)
    monkeypatch.delenv(browser.SKIP_VARIABLE, raising=False)


def test_a_missing_browser_fails_naming_the_packages(no_chromium: None) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        browser.require_browser()
    assert "apt-get install chromium chromium-driver" in str(failed.value)
    assert "chromium" in str(failed.value).split(":")[0]


def test_a_missing_driver_fails_as_well(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "find_driver", lambda: None)
    monkeypatch.delenv(browser.SKIP_VARIABLE, raising=False)
    with pytest.raises(pytest.fail.Exception, match="need chromedriver: apt-get install chromium"):
        browser.require_browser()


def test_the_skip_variable_turns_the_failure_into_a_skip(
    no_chromium: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BITEL_MOCK_SKIP_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium chromium-driver"):
        browser.require_browser()


def test_any_other_value_of_the_skip_variable_still_fails(
    no_chromium: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BITEL_MOCK_SKIP_BROWSER", "yes")
    with pytest.raises(pytest.fail.Exception):
        browser.require_browser()


def test_the_browser_runs_headless_as_root() -> None:
    chosen = browser.options("/usr/bin/chromium", Path("/tmp/profile"))
    assert {"--headless=new", "--no-sandbox", "--disable-dev-shm-usage"} <= set(chosen.arguments)
    assert "--user-data-dir=/tmp/profile" in chosen.arguments
    assert chosen.binary_location == "/usr/bin/chromium"
    assert chosen.capabilities["goog:loggingPrefs"] == {"browser": "ALL"}


def test_the_system_driver_is_used_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Service names the driver and SE_OFFLINE is set: Selenium Manager looks nothing up."""
    monkeypatch.setattr(browser, "find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(browser, "find_driver", lambda: "/usr/bin/chromedriver")
    monkeypatch.delenv("SE_OFFLINE", raising=False)
    started: list[tuple[str | None, str | None]] = []

    class Started:
        def __init__(self, options: Any, service: Service) -> None:
            started.append((service.path, os.environ.get("SE_OFFLINE")))

        def quit(self) -> None:
            started.append((None, None))

    monkeypatch.setattr(browser.webdriver, "Chrome", Started)
    with browser.headless_chromium():
        pass
    assert started == [("/usr/bin/chromedriver", "true"), (None, None)]
    assert "SE_OFFLINE" not in os.environ
