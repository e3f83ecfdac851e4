"""ThreadedServer: a real server on a free loopback port, started and stopped by a test."""

from __future__ import annotations

import pytest
import requests

from bitel_mock.app import create_app
from bitel_mock.threaded import ThreadedServer


def test_serves_on_a_free_port_and_stops() -> None:
    server = ThreadedServer(create_app())
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert requests.get(server.url + "/__admin/health", timeout=10).json()["status"] == "ok"
        url = server.url
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/__admin/health", timeout=10)
