"""Projects over a real socket: the same answers as in process, through a served emulator."""

from __future__ import annotations

import requests

from bitel_mock.threaded import ThreadedServer
from tests.conftest import VOICE_ID
from tests.projects.steps import NOT_FOUND, PROJECT_A, TOKEN_A, TOKEN_B, bearer, project_app


def test_a_call_and_a_message_are_not_found_by_another_token_over_a_socket() -> None:
    with ThreadedServer(project_app()) as server, requests.Session() as http:
        placed = http.post(
            f"{server.url}/api/v2/voice/batch",
            json={"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID},
            headers=bearer(TOKEN_A),
            timeout=10,
        )
        sent = http.post(
            f"{server.url}/api/v2/sms/single",
            json={"phoneNumber": "09121234567", "message": "Hi"},
            headers=bearer(TOKEN_A),
            timeout=10,
        )
        call_id, message_id = placed.json()["result"][0]["id"], sent.json()["result"]["id"]
        for path in (f"/api/v2/voice/status/{call_id}", f"/api/v2/sms/status/{message_id}"):
            own = http.get(server.url + path, headers=bearer(TOKEN_A), timeout=10)
            theirs = http.get(server.url + path, headers=bearer(TOKEN_B), timeout=10)
            assert own.status_code == 200
            assert (theirs.status_code, theirs.json()) == (404, NOT_FOUND)
        listed = http.get(f"{server.url}/__admin/calls?project={PROJECT_A}", timeout=10).json()
        assert [call["id"] for call in listed["calls"]] == [call_id]
