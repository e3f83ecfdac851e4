"""No DNS rebinding: while the control plane is open, only loopback names (and allowed hosts) in Host."""

from __future__ import annotations

import json
import socket

import pytest
import requests
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder, run_wsgi_app

from bitel_mock.cli import CliError, build_parser, settings_from
from bitel_mock.client import BitelClient
from bitel_mock.http.guard import MisdirectedRequest
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.transport import in_process_session
from tests.conftest import AUTH
from tests.security.helpers import assert_admin_error, call_count, emulator, place_call

EVIL_HOST = {"Host": "evil.example"}
MISDIRECTED = {"result": None, "error": "MisdirectedRequest"}

LOOPBACK_HOSTS = [
    "localhost", "localhost:8080", "LocalHost:1", "localhost.", "localhost.:8080", "localhost:",
    "127.0.0.1", "127.0.0.1:8080", "127.255.0.9:65535", "[::1]", "[::1]:9", "[0:0::1]:80",
]
FOREIGN_HOSTS = [
    "evil.example", "evil.example:8080", "localhost.evil.example", "evil-localhost", "127.0.0.1.evil.example",
    "0.0.0.0:8080", "10.0.0.1", "192.168.1.2:8080", "[::2]", "[::ffff:127.0.0.1]", "::1", "[::1",
    "localhost:80:80", "localhost:http", "localhost..", "localhost/x", "evil@localhost", "127.1", "",
]


@pytest.fixture
def client() -> FlaskClient:
    client = emulator().test_client()
    place_call(client)
    return client


def test_the_default_is_no_allowed_host() -> None:
    assert Settings().allowed_hosts == frozenset()


def test_a_foreign_host_reads_no_calls_from_the_control_plane(client: FlaskClient) -> None:
    response = client.get("/__admin/calls", headers=EVIL_HOST)
    assert response.status_code == 421
    assert_admin_error(response.get_json(), "MisdirectedRequest")


def test_a_foreign_host_reads_no_status_from_the_emulated_api(client: FlaskClient) -> None:
    call_id = client.get("/__admin/calls").get_json()["calls"][0]["id"]
    response = client.get(f"/api/v2/voice/status/{call_id}", headers={**AUTH, **EVIL_HOST})
    assert response.status_code == 421
    assert response.get_json() == MISDIRECTED


def test_a_foreign_host_changes_nothing_and_is_not_journaled(client: FlaskClient) -> None:
    client.delete("/__admin/requests")
    assert client.post("/__admin/reset", headers=EVIL_HOST).status_code == 421
    response = client.post(
        "/api/v2/voice/single", json={"phoneNumber": "09121234567", "voiceId": "x"}, headers={**AUTH, **EVIL_HOST}
    )
    assert response.status_code == 421 and response.get_json() == MISDIRECTED
    assert call_count(client) == 1
    assert client.get("/__admin/requests").get_json()["requests"] == []


@pytest.mark.parametrize("host", LOOPBACK_HOSTS)
def test_loopback_hosts_are_answered(client: FlaskClient, host: str) -> None:
    assert call_count(client, {"Host": host}) == 1
    call_id = client.get("/__admin/calls").get_json()["calls"][0]["id"]
    assert client.get(f"/api/v2/voice/status/{call_id}", headers={**AUTH, "Host": host}).status_code == 200


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_other_hosts_are_421_everywhere(client: FlaskClient, host: str) -> None:
    for method, path in [("GET", "/__admin/health"), ("GET", "/__admin/calls"), ("POST", "/__admin/reset"),
                         ("GET", "/api/v2/voice/status/x"), ("GET", "/no/such/path")]:
        response = client.open(path, method=method, headers={**AUTH, "Host": host})
        assert response.status_code == 421, (method, path)
        assert response.content_type == "application/json"
    assert call_count(client) == 1


def test_a_request_without_host_is_answered() -> None:
    """HTTP/1.0 may leave Host out; a browser never does, so no rebinding page can."""
    app = emulator()
    environ = EnvironBuilder(path="/__admin/calls").get_environ()
    del environ["HTTP_HOST"]
    _, status, _ = run_wsgi_app(app, environ, buffered=True)
    assert status.startswith("200")


def test_an_allowed_host_is_answered_by_that_name_only() -> None:
    client = emulator(allowed_hosts=frozenset({"sandbox.test"})).test_client()
    for host in ["sandbox.test", "sandbox.test:8080", "SANDBOX.test.", "localhost:8080"]:
        assert client.get("/__admin/calls", headers={"Host": host}).status_code == 200, host
    for host in ["other.test", "sandbox.test.evil.example", "evil.sandbox.test"]:
        assert client.get("/__admin/calls", headers={"Host": host}).status_code == 421, host


def test_allowed_hosts_given_in_code_are_compared_without_case_or_trailing_dot() -> None:
    client = emulator(allowed_hosts=frozenset({"Sandbox.Test.", "[FD00::1]"})).test_client()
    assert client.get("/__admin/calls", headers={"Host": "sandbox.test:1"}).status_code == 200
    assert client.get("/__admin/calls", headers={"Host": "[fd00::1]:8080"}).status_code == 200


@pytest.mark.parametrize("bad", ["http://sandbox.test", "sandbox.test:8080", "sandbox.test/x", "", "a b", "[nope]"])
def test_an_allowed_host_that_is_no_host_name_is_refused_at_start(bad: str) -> None:
    with pytest.raises(ValueError, match="not"):
        emulator(allowed_hosts=frozenset({bad}))


def test_with_an_admin_token_any_host_is_answered() -> None:
    client = emulator(admin_token="admin-secret").test_client()
    admin = {"X-Admin-Token": "admin-secret"}
    call_id = place_call(client, EVIL_HOST)
    assert call_count(client, {**admin, **EVIL_HOST}) == 1
    assert client.get(f"/api/v2/voice/status/{call_id}", headers={**AUTH, **EVIL_HOST}).status_code == 200
    assert client.get("/__admin/health", headers={"Host": "bitel-mock:8080"}).status_code == 200


def test_the_in_process_transport_is_not_checked() -> None:
    """No socket, so no browser: `http://bitel.test` keeps working in process."""
    app = emulator()
    client = BitelClient("t", base_url="http://bitel.test", session=in_process_session(app), max_retries=0)
    placed = client.single_call(phone_number="09121234567", voice_id="08e815cbcd724386805103ac0d45e4c2")
    assert client.call_status(placed.id).id == placed.id
    # A WSGI request by that name without the transport's mark is checked.
    assert app.test_client().get("/__admin/health", base_url="http://bitel.test").status_code == 421


def _raw(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def test_a_threaded_server_answers_its_own_address_and_refuses_a_rebound_name() -> None:
    with ThreadedServer(emulator()) as server:
        assert requests.get(server.url + "/__admin/health", timeout=10).status_code == 200
        answer = _raw(server.url, b"GET /__admin/calls HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 421 ")
    assert_admin_error(json.loads(body), "MisdirectedRequest")


def test_the_misdirected_error_is_421() -> None:
    assert (MisdirectedRequest.status, MisdirectedRequest.code) == (421, "MisdirectedRequest")


def settings(*argv: str) -> Settings:
    return settings_from(build_parser().parse_args(["serve", *argv]))


def test_allowed_hosts_from_the_command_line_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BITEL_MOCK_ALLOWED_HOSTS", raising=False)
    assert settings().allowed_hosts == frozenset()
    given = settings("--allowed-host", "Sandbox.Test.", "--allowed-host", "10.0.0.5")
    assert given.allowed_hosts == {"sandbox.test", "10.0.0.5"}
    monkeypatch.setenv("BITEL_MOCK_ALLOWED_HOSTS", "a.test, b.test")
    assert settings().allowed_hosts == {"a.test", "b.test"}
    assert settings("--allowed-host", "c.test").allowed_hosts == {"c.test"}  # the command line wins


@pytest.mark.parametrize("bad", ["http://sandbox.test", "sandbox.test:8080", "a/b"])
def test_a_bad_allowed_host_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.delenv("BITEL_MOCK_ALLOWED_HOSTS", raising=False)
    with pytest.raises(CliError, match="--allowed-host"):
        settings("--allowed-host", bad)
    monkeypatch.setenv("BITEL_MOCK_ALLOWED_HOSTS", bad)
    with pytest.raises(CliError, match="BITEL_MOCK_ALLOWED_HOSTS"):
        settings()
