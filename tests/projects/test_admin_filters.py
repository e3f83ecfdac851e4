"""The control plane sees every project: calls, messages and the journal show each record's
`project` (its token's fingerprint) and filter by `?project=<fingerprint>`."""

from __future__ import annotations

import jsonschema_rs
import pytest
from flask.testing import FlaskClient

from bitel_mock import contracts
from bitel_mock.tokens import token_fingerprint
from tests.projects.steps import (
    PROJECT_A,
    PROJECT_B,
    TOKEN_A,
    TOKEN_B,
    bearer,
    place_call,
    project_app,
    send_message,
)

LISTINGS = ("/__admin/calls", "/__admin/sms/messages", "/__admin/requests")
NOBODY = token_fingerprint("nobody-placed-anything")


@pytest.fixture
def client() -> FlaskClient:
    """Two calls and one message of project A, one call and two messages of project B."""
    client = project_app().test_client()
    place_call(client, TOKEN_A, "09120000001")
    send_message(client, TOKEN_A, "09120000002")
    place_call(client, TOKEN_A, "09120000003")
    place_call(client, TOKEN_B, "09120000004")
    send_message(client, TOKEN_B, "09120000005")
    send_message(client, TOKEN_B, "09120000006")
    return client


def _get(client: FlaskClient, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_calls_filter_by_project(client: FlaskClient) -> None:
    mine = _get(client, f"/__admin/calls?project={PROJECT_A}")
    assert mine["total"] == 2
    assert [call["phoneNumber"] for call in mine["calls"]] == ["09120000003", "09120000001"]
    assert {call["project"] for call in mine["calls"]} == {PROJECT_A}
    theirs = _get(client, f"/__admin/calls?project={PROJECT_B}")
    assert [call["phoneNumber"] for call in theirs["calls"]] == ["09120000004"]
    assert _get(client, "/__admin/calls")["total"] == 3
    assert _get(client, f"/__admin/calls?project={NOBODY}") == {"total": 0, "calls": []}


def test_a_call_shows_its_project_beside_its_token_fingerprint(client: FlaskClient) -> None:
    for call in _get(client, "/__admin/calls")["calls"]:
        assert call["project"] == call["tokenFingerprint"] in (PROJECT_A, PROJECT_B)


def test_project_combines_with_the_other_filters(client: FlaskClient) -> None:
    assert _get(client, f"/__admin/calls?project={PROJECT_A}&number=09120000001")["total"] == 1
    assert _get(client, f"/__admin/calls?project={PROJECT_B}&number=09120000001")["total"] == 0
    assert _get(client, f"/__admin/calls?project={PROJECT_A}&status=WAITING")["total"] == 2
    assert _get(client, f"/__admin/calls?project={PROJECT_A}&limit=1")["total"] == 2


def test_messages_filter_by_project(client: FlaskClient) -> None:
    mine = _get(client, f"/__admin/sms/messages?project={PROJECT_A}")
    assert [m["phoneNumber"] for m in mine["messages"]] == ["09120000002"]
    theirs = _get(client, f"/__admin/sms/messages?project={PROJECT_B}")
    assert [m["phoneNumber"] for m in theirs["messages"]] == ["09120000006", "09120000005"]
    assert {m["project"] for m in theirs["messages"]} == {PROJECT_B}
    assert _get(client, "/__admin/sms/messages")["total"] == 3
    assert _get(client, f"/__admin/sms/messages?project={NOBODY}") == {"total": 0, "messages": []}


def test_the_message_listing_shows_plan_and_record(client: FlaskClient) -> None:
    [message] = _get(client, f"/__admin/sms/messages?project={PROJECT_A}")["messages"]
    assert message["record"]["id"] == message["id"]
    assert message["record"]["status"] == 0
    assert message["plan"]["outcome"] == "DELIVERED"
    assert message["kind"] == "single" and message["text"] == "Hi"
    assert _get(client, "/__admin/sms/messages?status=WAITING")["total"] == 3
    assert _get(client, "/__admin/sms/messages?number=09120000005")["total"] == 1
    assert _get(client, "/__admin/sms/messages?limit=1&offset=1")["messages"][0]["phoneNumber"] == "09120000005"


def test_the_journal_filters_by_project(client: FlaskClient) -> None:
    client.get("/api/v2/voice/status/" + "0" * 32, headers=bearer(TOKEN_A))
    mine = _get(client, f"/__admin/requests?project={PROJECT_A}")
    assert mine["total"] == 4
    assert {entry["project"] for entry in mine["requests"]} == {PROJECT_A}
    assert {entry["token"] for entry in mine["requests"]} == {TOKEN_A[:4] + "…"}
    assert _get(client, f"/__admin/requests?project={PROJECT_B}")["total"] == 3
    assert _get(client, f"/__admin/requests?project={PROJECT_A}&status=404")["total"] == 1
    counted = client.post("/__admin/requests/count", json={"project": PROJECT_B, "path": "/api/v2/sms/single"})
    assert counted.get_json() == {"count": 2}


def test_a_request_without_a_token_has_no_project(client: FlaskClient) -> None:
    client.get("/api/v2/voice/status/" + "0" * 32)
    [entry] = _get(client, "/__admin/requests?limit=1")["requests"]
    assert entry["project"] is None and entry["status"] == 401


@pytest.mark.parametrize("path", LISTINGS)
@pytest.mark.parametrize("project", [TOKEN_A, PROJECT_A.upper(), PROJECT_A[:-1], "", "x" * 16])
def test_a_project_that_is_no_fingerprint_is_refused(client: FlaskClient, path: str, project: str) -> None:
    before = _get(client, path)
    response = client.get(path, query_string={"project": project})
    assert response.status_code == 400
    assert response.get_json()["error"] == "InvalidRequest"
    assert "project" in response.get_json()["message"]
    assert TOKEN_A not in response.get_data(as_text=True)
    assert _get(client, path) == before


def test_a_count_naming_no_fingerprint_is_refused(client: FlaskClient) -> None:
    response = client.post("/__admin/requests/count", json={"project": TOKEN_A})
    assert response.status_code == 400 and response.get_json()["error"] == "InvalidRequest"
    assert TOKEN_A not in response.get_data(as_text=True)


@pytest.mark.parametrize(("path", "operation"), [("/__admin/calls", "listCalls"), ("/__admin/sms/messages", "listSmsMessages")])
def test_the_listings_keep_the_admin_contract(client: FlaskClient, path: str, operation: str) -> None:
    spec = contracts.openapi("admin-openapi.yaml")
    [get] = [item["get"] for item in spec["paths"].values() if item.get("get", {}).get("operationId") == operation]
    assert any(p.get("$ref") == "#/components/parameters/Project" for p in get["parameters"])
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    validate = jsonschema_rs.validator_for({**schema, "components": spec["components"]}).validate
    for query in ("", f"?project={PROJECT_A}"):
        validate(_get(client, path + query))
    with pytest.raises(jsonschema_rs.ValidationError):
        validate({"total": 1, (path.rsplit("/", 1)[1]): [{"project": TOKEN_A}]})
