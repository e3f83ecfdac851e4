"""`bitel-mock serve` over a socket: its third start-up line is the page's address, and the page
answers there with its headers, behind the same Host and site checks as /__admin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from bitel_mock.startup import dashboard_line
from tests.dashboard.pages import ADMIN_TOKEN, EXPECTED_HEADERS, PAGE, START
from tests.e2e.processes import Served, serving


def test_the_dashboard_line_names_the_page_under_the_url() -> None:
    assert dashboard_line("http://127.0.0.1:8080") == "dashboard: http://127.0.0.1:8080/__admin/ui/"
    assert dashboard_line("http://[::1]:9") == "dashboard: http://[::1]:9/__admin/ui/"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving("--store", "memory", "--clock", "manual", "--start-time", str(START)) as emulator:
        yield emulator


def test_serve_prints_the_page_address_third(served: Served) -> None:
    assert served.process.stdout is not None
    assert served.process.stdout.readline().strip() == f"dashboard: {served.url}{PAGE}"


def test_the_served_page_carries_its_headers(served: Served) -> None:
    answer = requests.get(served.url + PAGE, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    for name, value in EXPECTED_HEADERS.items():
        assert answer.headers[name] == value
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_the_served_root_redirects_to_the_page(served: Served) -> None:
    answer = requests.get(served.url + "/", timeout=10, allow_redirects=False)
    assert (answer.status_code, answer.headers["Location"]) == (302, PAGE)


def test_a_foreign_host_and_another_site_are_refused_over_the_socket(served: Served) -> None:
    rebound = requests.get(served.url + PAGE, headers={"Host": "rebound.example"}, timeout=10)
    assert rebound.status_code == 421
    cross = requests.get(served.url + PAGE, headers={"Sec-Fetch-Site": "cross-site"}, timeout=10)
    assert cross.status_code == 403
    assert cross.headers["Content-Type"].startswith("application/json")


def test_with_an_admin_token_the_page_is_open_and_the_calls_are_not() -> None:
    with serving("--store", "memory", "--admin-token", ADMIN_TOKEN) as emulator:
        assert requests.get(emulator.url + PAGE + "static/app.js", timeout=10).status_code == 200
        assert requests.get(emulator.url + "/__admin/calls", timeout=10).status_code == 401
