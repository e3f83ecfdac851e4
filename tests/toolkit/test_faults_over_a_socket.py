"""Every kind of fault as a client sees it over a real socket, and whether a call was left behind."""

from __future__ import annotations

import socket

import pytest
import requests
from werkzeug.test import EnvironBuilder

from bitel_mock.app import create_app
from bitel_mock.pytest_plugin import BitelMock
from bitel_mock.settings import Settings
from bitel_mock.toolkit.wire import DROP_HEADER
from tests.toolkit.conftest import AUTH, SINGLE, SINGLE_BODY


def place(server: BitelMock, timeout: float = 10) -> requests.Response:
    return requests.post(server.url + SINGLE, json=SINGLE_BODY, headers=AUTH, timeout=timeout)


def kept_calls(server: BitelMock) -> int:
    return server.admin("GET", "/health")["calls"]


def test_status_fault_answers_the_envelope_and_places_nothing(bitel_mock_server: BitelMock) -> None:
    bitel_mock_server.add_fault("status", path=SINGLE, status=503, error="ServiceUnavailable", times=1)
    response = place(bitel_mock_server)
    assert response.status_code == 503
    assert response.json() == {"result": None, "error": "ServiceUnavailable"}
    assert kept_calls(bitel_mock_server) == 0
    assert place(bitel_mock_server).status_code == 200  # used up: the next one is normal
    assert kept_calls(bitel_mock_server) == 1


def test_dropped_connection_is_a_connection_error_and_places_nothing(bitel_mock_server: BitelMock) -> None:
    bitel_mock_server.add_fault("drop", method="POST", path=SINGLE, times=1)
    with pytest.raises(requests.ConnectionError):
        place(bitel_mock_server)
    assert kept_calls(bitel_mock_server) == 0
    [entry] = bitel_mock_server.requests(path=SINGLE)
    assert entry["status"] is None and entry["fault"]["kind"] == "drop"


@pytest.mark.parametrize("body", ["truncated", "not-json", "empty"])
def test_malformed_body_cannot_be_parsed_and_places_nothing(bitel_mock_server: BitelMock, body: str) -> None:
    bitel_mock_server.add_fault("malformed", path=SINGLE, body=body)
    response = place(bitel_mock_server)
    assert response.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        response.json()
    assert kept_calls(bitel_mock_server) == 0


def test_delay_longer_than_the_read_timeout_still_places_the_call(bitel_mock_server: BitelMock) -> None:
    bitel_mock_server.add_fault("delay", path=SINGLE, seconds=3, times=1)
    with pytest.raises(requests.ReadTimeout):
        place(bitel_mock_server, timeout=0.5)
    # The call was accepted before the answer was held back, as on a slow real service.
    assert kept_calls(bitel_mock_server) == 1


def test_short_delay_then_the_normal_answer(bitel_mock_server: BitelMock) -> None:
    bitel_mock_server.add_fault("delay", path=SINGLE, seconds=0.05)
    response = place(bitel_mock_server)
    assert response.status_code == 200
    assert response.json()["result"]["status"] == "WAITING"
    assert kept_calls(bitel_mock_server) == 1


def test_fault_on_an_unknown_path(bitel_mock_server: BitelMock) -> None:
    bitel_mock_server.add_fault("status", path="/anything", status=502)
    response = requests.get(bitel_mock_server.url + "/anything", timeout=10)
    assert (response.status_code, response.json()) == (502, {"result": None, "error": "BadGateway"})


def test_drop_under_gunicorn_shuts_the_gunicorn_socket() -> None:
    app = create_app(Settings(seed=1))
    app.test_client().post("/__admin/faults", json={"kind": "drop"})
    served, client_side = socket.socketpair()
    with served, client_side:
        environ = EnvironBuilder(path=SINGLE, method="POST", json=SINGLE_BODY, headers=AUTH).get_environ()
        environ["gunicorn.socket"] = served
        started: list[str] = []
        body = b"".join(app(environ, lambda status, headers, exc_info=None: started.append(status)))
        assert body == b"" and DROP_HEADER not in str(started)
        client_side.settimeout(5)
        assert client_side.recv(1) == b""  # the peer sees the connection closed, nothing written
    assert app.test_client().get("/__admin/health").get_json()["calls"] == 0
