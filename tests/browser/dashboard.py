"""The dashboard at /__admin/ui/ seen through its DOM hooks, and the emulator seen through its API.

`Dashboard` finds things by the page's `data-testid` hooks and waits on the DOM (never a
sleep); `Api` places calls and reads the control plane with plain HTTP, as any client would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

PAGE = "/__admin/ui/"
WAIT_SECONDS = 10.0
"""The page polls about once a second: 10 s is ample, and bounds every wait."""
POLL_SECONDS = 0.05
SHOWN_CHARACTERS = 300
"""How much of the page's text a failed wait quotes."""
VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"
API_TOKEN = "t"
FINAL_STATUSES = frozenset({"NORMAL", "USER_BUSY", "NO_ANSWER", "EXPIRED", "ERROR", "UNKNOWN"})

T = TypeVar("T")
REDRAWN = (StaleElementReferenceException, NoSuchElementException)
"""What a wait looks past: the page redraws its rows on every poll."""


def hook(testid: str) -> str:
    return f'[data-testid="{testid}"]'


@dataclass
class Api:
    """The emulator at `url`, over HTTP; `admin_token` goes on every /__admin request."""

    url: str
    admin_token: str | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def admin(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        headers = {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}
        response = self.session.request(
            method, f"{self.url}/__admin{path}", json=body, headers=headers, timeout=30
        )
        assert response.status_code == expect, (method, path, response.status_code, response.text)
        return response.json()

    def place(self, *numbers: str, retry_count: int = 0) -> list[dict[str, Any]]:
        """One batch request for `numbers`; its records (every call WAITING)."""
        body = {"phoneNumbers": list(numbers), "voiceId": VOICE_ID, "retryCount": retry_count}
        response = self.session.post(
            f"{self.url}/api/v2/voice/batch",
            json=body,
            headers={"Authorization": f"Bearer {API_TOKEN}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["result"]

    def now(self) -> int:
        return self.admin("GET", "/clock")["now"]

    def calls(self) -> dict[str, dict[str, Any]]:
        return {call["id"]: call for call in self.admin("GET", "/calls?limit=1000")["calls"]}

    def statuses(self) -> dict[str, str]:
        return {call_id: call["record"]["status"] for call_id, call in self.calls().items()}

    def scenarios(self) -> list[dict[str, Any]]:
        return self.admin("GET", "/scenarios")["scenarios"]

    def deliveries(self, call_id: str) -> list[dict[str, Any]]:
        return self.admin("GET", f"/webhooks/deliveries?callId={call_id}")["deliveries"]


class Dashboard:
    """The page open in `driver`."""

    def __init__(self, driver: WebDriver, url: str) -> None:
        self.driver = driver
        self.url = url

    # --- waiting -----------------------------------------------------------------

    def until(
        self,
        condition: Callable[[], T],
        message: str | Callable[[], str],
        seconds: float = WAIT_SECONDS,
    ) -> T:
        """The first truthy `condition()`, polled on the DOM; after `seconds`, an AssertionError
        naming `message` (or what `message()` says then) and the page's own error."""
        waiting = WebDriverWait(
            self.driver, seconds, poll_frequency=POLL_SECONDS, ignored_exceptions=REDRAWN
        )
        try:
            return waiting.until(lambda _driver: condition())
        except Exception as error:
            shown, text = self.driver.execute_script(
                "return [document.body?.dataset.error ?? null, document.body?.innerText ?? '']"
            )
            where = f"{self.driver.current_url} shows {text[:SHOWN_CHARACTERS]!r}"
            said = message if isinstance(message, str) else message()
            raise AssertionError(f"{said} (the page's error: {shown!r}; {where})") from error

    def open(self) -> Dashboard:
        self.driver.get(self.url + PAGE)
        return self

    def wait_ready(self) -> Dashboard:
        self.until(lambda: self.body_data("ready") == "1", "the page never finished its first poll")
        return self

    def body_data(self, name: str) -> str | None:
        return self.driver.execute_script(f"return document.body.dataset.{name} ?? null")

    # --- finding -------------------------------------------------------------------

    def find(self, testid: str, within: WebElement | None = None) -> WebElement:
        return (within or self.driver).find_element(By.CSS_SELECTOR, hook(testid))

    def find_all(self, testid: str, within: WebElement | None = None) -> list[WebElement]:
        return (within or self.driver).find_elements(By.CSS_SELECTOR, hook(testid))

    def nested(self, *testids: str) -> list[WebElement]:
        """Elements of the last hook inside the ones before, e.g. nested("call-detail",
        "delivery-row"), found afresh (a redrawn element is never held)."""
        return self.driver.find_elements(By.CSS_SELECTOR, " ".join(map(hook, testids)))

    def click(self, testid: str) -> None:
        self.find(testid).click()

    def tab(self, name: str) -> None:
        self.click(f"tab-{name}")

    # --- traffic -------------------------------------------------------------------

    def rows(self) -> dict[str, WebElement]:
        """The traffic rows by call or message id."""
        rows = self.find("traffic").find_elements(By.CSS_SELECTOR, 'tr[data-testid="traffic-row"]')
        return {row.get_attribute("data-id") or "": row for row in rows}

    def row_statuses(self) -> dict[str, str]:
        return self.driver.execute_script(
            "return Object.fromEntries([...document.querySelectorAll("
            "'[data-testid=traffic] tr[data-testid=traffic-row]')]"
            ".map(row => [row.dataset.id, row.dataset.status]))"
        )

    def wait_statuses(self, expected: dict[str, str], message: str) -> None:
        """Until every row in `expected` shows its status (other rows may show anything)."""

        def shown() -> bool:
            statuses = self.row_statuses()
            return all(statuses.get(call_id) == status for call_id, status in expected.items())

        self.until(shown, lambda: f"{message}: wanted {expected}, the page shows {self.row_statuses()}")

    def open_call(self, call_id: str, number: str) -> None:
        """Click the call's row; returns once the detail panel shows its number."""
        self.tab("traffic")
        self.rows()[call_id].click()
        self.until(lambda: number in self.find("call-detail").text, f"{call_id} never opened")

    # --- the clock ------------------------------------------------------------------

    def clock_epoch(self) -> int:
        return int(self.find("clock-now").get_attribute("data-epoch") or "nan")

    def clock_text_epoch(self) -> int:
        shown = datetime.fromisoformat(self.find("clock-now").text.strip())
        return int((shown if shown.tzinfo else shown.replace(tzinfo=UTC)).timestamp())

    def wait_clock(self, epoch: int) -> None:
        self.until(
            lambda: self.find("clock-now").get_attribute("data-epoch") == str(epoch),
            f"the clock never showed {epoch}",
        )

    def set_clock(self, when: datetime) -> None:
        form = self.find("clock-set")
        field_ = form.find_element(By.CSS_SELECTOR, "[name=time]")
        field_.clear()
        field_.send_keys(when.isoformat().replace("+00:00", "Z"))
        submit(form)

    # --- outcomes -------------------------------------------------------------------

    def add_rule(self, number: str, outcome: str) -> None:
        self.tab("outcomes")
        form = self.find("scenario-form")
        form.find_element(By.CSS_SELECTOR, "[name=number]").send_keys(number)
        Select(form.find_element(By.CSS_SELECTOR, "[name=outcome]")).select_by_value(outcome)
        submit(form)


def submit(form: WebElement) -> None:
    """Click the form's submit button, as a user would."""
    form.find_element(
        By.CSS_SELECTOR, "button[type=submit], input[type=submit], button:not([type])"
    ).click()
