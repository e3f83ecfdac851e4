"""The in-process transport and the threaded server, as the client and other tests use them."""

from __future__ import annotations

import requests

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.transport import InProcessAdapter, in_process_session
from tests.conftest import AUTH


def test_in_process_session_answers_real_responses_without_a_socket() -> None:
    session = in_process_session(create_app(Settings(seed=1)))
    response = session.post(
        "http://bitel.test/api/v2/voice/batch",
        json={"phoneNumbers": ["09121234567"], "voiceId": "v"},
        headers=AUTH,
    )
    assert isinstance(response, requests.Response)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["result"][0]["phoneNumber"] == "09121234567"
    assert response.url == "http://bitel.test/api/v2/voice/batch"


def test_in_process_errors_keep_status_headers_and_body() -> None:
    session = in_process_session(create_app())
    response = session.get("http://bitel.test/api/v2/voice/batch", headers=AUTH)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.json() == {"result": None, "error": "MethodNotAllowed"}


def test_in_process_adapter_passes_query_strings_and_other_hosts_are_not_mounted() -> None:
    seen = {}

    def app(environ, start_response):
        seen.update(
            path=environ["PATH_INFO"], query=environ["QUERY_STRING"], host=environ["HTTP_HOST"]
        )
        start_response("204 No Content", [])
        return []

    session = requests.Session()
    session.mount("http://x.test/", InProcessAdapter(app))
    response = session.get("http://x.test/a/b?c=1")
    assert response.status_code == 204 and response.content == b""
    assert seen == {"path": "/a/b", "query": "c=1", "host": "x.test"}
    assert not isinstance(session.get_adapter("http://other.test/"), InProcessAdapter)


def test_threaded_server_serves_on_a_free_port_and_stops() -> None:
    server = ThreadedServer(create_app())
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert requests.get(server.url + "/__admin/health", timeout=5).json()["status"] == "ok"
        url = server.url
    try:
        requests.get(url + "/__admin/health", timeout=5)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("the server still answers after stop()")
    server.stop()  # stopping twice is harmless
