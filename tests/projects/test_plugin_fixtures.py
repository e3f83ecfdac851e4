"""The pytest plugin's fixtures keep working with projects: an application under test uses one
token, sees its own calls and messages, and the helpers filter the journal by project."""

from __future__ import annotations

import requests

from bitel_mock.pytest_plugin import BitelMock
from bitel_mock.tokens import token_fingerprint
from tests.conftest import AUTH, TOKEN, VOICE_ID
from tests.projects.steps import NOT_FOUND, TOKEN_B, bearer, place_call, send_message


def test_the_in_process_fixture_serves_one_tokens_calls_and_messages(bitel_mock: BitelMock) -> None:
    client = bitel_mock.client
    call_id = place_call(client, TOKEN)
    message_id = send_message(client, TOKEN)
    assert client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH).status_code == 200
    assert client.get(f"/api/v2/sms/status/{message_id}", headers=AUTH).status_code == 200
    assert [call["id"] for call in bitel_mock.calls()] == [call_id]
    assert bitel_mock.calls()[0]["project"] == token_fingerprint(TOKEN)
    assert client.get(f"/api/v2/voice/status/{call_id}", headers=bearer(TOKEN_B)).get_json() == NOT_FOUND


def test_the_journal_helpers_filter_by_project(bitel_mock: BitelMock) -> None:
    place_call(bitel_mock.client, TOKEN)
    place_call(bitel_mock.client, TOKEN_B)
    mine = bitel_mock.requests(project=token_fingerprint(TOKEN))
    assert [entry["project"] for entry in mine] == [token_fingerprint(TOKEN)]
    assert bitel_mock.count(project=token_fingerprint(TOKEN_B)) == 1
    bitel_mock.assert_called("/api/v2/voice/batch", times=2)


def test_the_served_fixture_keeps_projects_apart_over_its_socket(bitel_mock_server: BitelMock) -> None:
    url = bitel_mock_server.url
    placed = requests.post(
        f"{url}/api/v2/voice/batch",
        json={"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID},
        headers=AUTH,
        timeout=10,
    ).json()["result"][0]["id"]
    own = requests.get(f"{url}/api/v2/voice/status/{placed}", headers=AUTH, timeout=10)
    theirs = requests.get(f"{url}/api/v2/voice/status/{placed}", headers=bearer(TOKEN_B), timeout=10)
    assert own.status_code == 200 and own.json()["result"]["id"] == placed
    assert (theirs.status_code, theirs.json()) == (404, NOT_FOUND)
    bitel_mock_server.advance(86_400)
    assert bitel_mock_server.calls(status="NORMAL")[0]["id"] == placed
