"""The toolkit's hooks are path-based: the journal, faults, rate limits and the Host guard apply
to /api/v2/sms as to the voice routes."""

from __future__ import annotations

from tests.conftest import AUTH
from tests.sms.steps import BATCH, SINGLE, STATUS, kept_messages, send, sms_app

BODY = {"message": "Hi", "phoneNumbers": ["09121234567", "09991000004"]}


def test_every_sms_request_is_journaled_with_its_numbers_and_answer() -> None:
    client = sms_app().test_client()
    records = send(client, BATCH, BODY)
    client.get(STATUS + records[0]["id"], headers=AUTH)
    client.post(SINGLE, json={"message": "", "phoneNumber": "09121234567"}, headers=AUTH)
    entries = client.get("/__admin/requests").get_json()["requests"]
    assert [(e["method"], e["path"], e["status"], e["error"]) for e in entries] == [
        ("POST", SINGLE, 400, "InvalidRequest"),
        ("GET", STATUS + records[0]["id"], 200, None),
        ("POST", BATCH, 200, None),
    ]
    assert entries[2]["phoneNumbers"] == BODY["phoneNumbers"] and entries[2]["body"] == BODY
    assert client.post(
        "/__admin/requests/count", json={"path": BATCH, "phoneNumber": "09991000004"}
    ).get_json() == {"count": 1}


def test_a_fault_on_an_sms_path_answers_instead_and_keeps_nothing() -> None:
    app = sms_app()
    client = app.test_client()
    fault = {
        "kind": "status",
        "path": SINGLE,
        "status": 503,
        "error": "ServiceUnavailable",
        "times": 1,
    }
    assert client.post("/__admin/faults", json=fault).status_code == 201
    body = {"message": "Hi", "phoneNumber": "09121234567"}
    first = client.post(SINGLE, json=body, headers=AUTH)
    assert (first.status_code, first.get_json()) == (
        503,
        {"result": None, "error": "ServiceUnavailable"},
    )
    assert kept_messages(app) == []
    assert client.post(SINGLE, json=body, headers=AUTH).status_code == 200
    assert len(kept_messages(app)) == 1


def test_a_fault_may_match_an_sms_number_across_sms_paths() -> None:
    client = sms_app().test_client()
    client.post(
        "/__admin/faults",
        json={
            "kind": "status",
            "pathPattern": "/api/v2/sms/.*",
            "phoneNumber": "09991000004",
            "status": 500,
            "error": "InternalError",
        },
    )
    assert client.post(BATCH, json=BODY, headers=AUTH).status_code == 500
    assert (
        client.post(
            SINGLE, json={"message": "Hi", "phoneNumber": "09121234567"}, headers=AUTH
        ).status_code
        == 200
    )


def test_the_rate_limit_counts_sms_requests_per_token() -> None:
    client = sms_app().test_client()
    assert client.put("/__admin/rate-limit", json={"rps": 0.001, "burst": 2}).status_code == 200
    body = {"message": "Hi", "phoneNumber": "09121234567"}
    answers = [client.post(SINGLE, json=body, headers=AUTH) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].get_json() == {"result": None, "error": "TooManyRequests"}
    assert int(answers[2].headers["Retry-After"]) >= 1
    other = client.post(SINGLE, json=body, headers={"Authorization": "Bearer another"})
    assert other.status_code == 200


def test_the_host_guard_refuses_a_foreign_host_before_anything_is_kept() -> None:
    app = sms_app()
    response = app.test_client().post(
        SINGLE,
        json={"message": "Hi", "phoneNumber": "09121234567"},
        headers={**AUTH, "Host": "rebound.example"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert (response.status_code, response.get_json()) == (
        421,
        {"result": None, "error": "MisdirectedRequest"},
    )
    assert kept_messages(app) == []
