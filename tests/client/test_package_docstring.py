"""The example in `bitel_mock.client`'s docstring, run as written against an emulator on a
loopback socket (only its address differs: 127.0.0.1:8080 becomes the server's free port)."""

from __future__ import annotations

import contextlib
import io
import re
import textwrap

import bitel_mock.client
from bitel_mock.app import create_app
from bitel_mock.client import DEFAULT_BASE_URL
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer

DOCUMENTED_URL = "http://127.0.0.1:8080"


def docstring_example() -> str:
    """The indented block of the package docstring, dedented."""
    doc = bitel_mock.client.__doc__ or ""
    match = re.search(r"\n\n((?:    .*\n|\n)+)", doc)
    assert match, "bitel_mock.client's docstring has no indented example"
    return textwrap.dedent(match.group(1))


def test_the_example_names_the_local_emulator_not_the_paid_service() -> None:
    example = docstring_example()
    assert f'base_url="{DOCUMENTED_URL}"' in example
    assert DEFAULT_BASE_URL not in example


def test_the_example_runs_as_written_and_places_one_waiting_call() -> None:
    with ThreadedServer(create_app(Settings(seed=7))) as server:
        code = docstring_example().replace(DOCUMENTED_URL, server.url)
        namespace: dict[str, object] = {"__name__": "client_docstring_example"}
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "bitel_mock.client docstring", "exec"), namespace)
    call = namespace["call"]
    assert call.phone_number == "09121234567"  # type: ignore[attr-defined]
    phone, status, requested_date, requested_time = printed.getvalue().split()
    assert (phone, status) == ("09121234567", "WAITING")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", requested_date)
    assert requested_time.endswith("+00:00")
