"""Fixtures of the client tests: the emulator reached in-process and over a real socket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from bitel_mock.app import create_app
from bitel_mock.client import BitelClient
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.transport import in_process_session
from tests.conftest import TOKEN


@pytest.fixture
def emulator() -> Flask:
    return create_app(Settings(seed=99))


@pytest.fixture(params=["in-process", "socket"])
def bitel(request: pytest.FixtureRequest, emulator: Flask) -> Iterator[BitelClient]:
    """A validating client of a fresh emulator, in-process or over loopback."""
    if request.param == "in-process":
        session = in_process_session(emulator)
        with BitelClient(
            TOKEN, base_url="http://bitel.test", session=session, validate=True
        ) as client:
            yield client
        session.close()
    else:
        with (
            ThreadedServer(emulator) as server,
            BitelClient(TOKEN, base_url=server.url, validate=True) as client,
        ):
            yield client
