"""Example tests of POST /api/v2/voice/batch, one per documented rule."""

from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.domain.clock import FixedClock
from bitel_mock.domain.phone import NumberForm
from bitel_mock.settings import Settings
from tests.conftest import AUTH, VOICE_ID

BATCH = "/api/v2/voice/batch"
VENDOR_SAMPLE_REQUEST = {
    "phoneNumbers": ["09121234567"],
    "voiceId": "08e815cbcd724386805103ac0d45e4c2",
    "retryCount": 3,
}
# The vendor's sample response (batch-call.txt), one record of it.
VENDOR_SAMPLE_RECORD = {
    "id": "755021ff3bfd4669af3145b285297756",
    "phoneNumber": "0912*******",
    "status": "WAITING",
    "statusCode": 0,
    "billSec": 0,
    "requestDate": 1564643999,
    "executionDate": 0,
    "price": 0.0,
}


def post(client: FlaskClient, body: object, headers: dict[str, str] | None = None):
    return client.post(BATCH, data=json.dumps(body), headers=headers if headers is not None else AUTH, content_type="application/json")


def test_vendor_sample_request_gets_a_response_of_the_sample_shape() -> None:
    app = create_app(Settings(seed=7), clock=FixedClock(1564643999.4))
    response = post(app.test_client(), VENDOR_SAMPLE_REQUEST)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["result", "error"]
    assert body["error"] is None
    [record] = body["result"]
    assert list(record) == list(VENDOR_SAMPLE_RECORD)
    assert {k: type(v) for k, v in record.items()} == {k: type(v) for k, v in VENDOR_SAMPLE_RECORD.items()}
    assert re.fullmatch(r"[0-9a-f]{32}", record["id"])
    assert record | {"id": "x"} == VENDOR_SAMPLE_RECORD | {
        "id": "x",
        "phoneNumber": "09121234567",
    }
    assert b'"price":0.0' in response.data  # a float on the wire, as in the sample
    contracts.validator("batch-call-response").validate(body)


def test_vendor_sample_response_itself_satisfies_the_contract() -> None:
    sample = {"result": [VENDOR_SAMPLE_RECORD, VENDOR_SAMPLE_RECORD | {"id": "b694d5431c654c4082aa4a2de82ee5f2"}], "error": None}
    contracts.validator("batch-call-response").validate(sample)


def test_one_record_per_number_in_order_duplicates_included(client: FlaskClient) -> None:
    numbers = ["09120000001", "09350000002", "09120000001"]
    body = post(client, {"phoneNumbers": numbers, "voiceId": VOICE_ID}).get_json()
    assert [r["phoneNumber"] for r in body["result"]] == numbers
    assert len({r["id"] for r in body["result"]}) == 3


def test_ids_are_uuid4_hex() -> None:
    client = create_app(Settings()).test_client()
    [record] = post(client, VENDOR_SAMPLE_REQUEST).get_json()["result"]
    assert re.fullmatch(r"[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}", record["id"])


def test_same_seed_gives_the_same_ids_from_one_start_to_the_next() -> None:
    def ids(seed: int | None) -> list[str]:
        client = create_app(Settings(seed=seed)).test_client()
        return [r["id"] for r in post(client, {"phoneNumbers": ["09120000001"] * 3, "voiceId": VOICE_ID}).get_json()["result"]]

    assert ids(42) == ids(42)
    assert ids(42) != ids(43)
    assert ids(None) != ids(None)


def test_accepted_calls_are_kept(client: FlaskClient) -> None:
    [record] = post(client, VENDOR_SAMPLE_REQUEST).get_json()["result"]
    status = client.get(f"/api/v2/voice/status/{record['id']}", headers=AUTH)
    assert status.status_code == 200
    assert status.get_json() == {"result": record, "error": None}
    assert client.get("/__admin/health").get_json()["calls"] == 1


@pytest.mark.parametrize("retry_count", [0, 1, 2, 3, 2.0, 10])
def test_retry_count_in_range_is_accepted(client: FlaskClient, retry_count: float) -> None:
    assert post(client, VENDOR_SAMPLE_REQUEST | {"retryCount": retry_count}).status_code == 200


def _plans_by_retry_count(given: dict[str, int]) -> list[dict]:
    """The plans of an unanswered call on a fresh emulator, placed with `given` fields."""
    client = create_app(Settings(seed=7, clock="manual", start_time=1_700_000_000)).test_client()
    response = post(client, {"phoneNumbers": ["09990000002"], "voiceId": VOICE_ID, **given})
    assert response.status_code == 200
    calls = client.get("/__admin/calls").get_json()["calls"]
    return [call["plan"] | {"retryCount": call["retryCount"]} for call in calls]


def test_retry_count_defaults_to_one_and_is_optional() -> None:
    [omitted] = _plans_by_retry_count({})
    assert omitted["retryCount"] == 1
    assert len(omitted["attempts"]) == 2  # the first attempt and one retry
    assert [omitted] == _plans_by_retry_count({"retryCount": 1})
    assert [omitted] != _plans_by_retry_count({"retryCount": 0})
    assert [omitted] != _plans_by_retry_count({"retryCount": 2})


def test_server_id_from_the_default_set_is_accepted(client: FlaskClient) -> None:
    assert post(client, VENDOR_SAMPLE_REQUEST | {"serverId": "mirdamad1"}).status_code == 200


def test_unknown_extra_fields_are_ignored() -> None:
    """Extra fields, some named like settings, change neither the answer nor the call's plan."""
    extra = {"campaign": "x", "timeToLive": 10, "retryInterval": 5, "tariff": 9, "status": "NORMAL"}

    def placed(body: dict) -> tuple[dict, list[dict], dict]:
        client = create_app(Settings(seed=7, clock="manual", start_time=1_700_000_000)).test_client()
        response = post(client, body)
        assert response.status_code == 200
        calls = client.get("/__admin/calls").get_json()["calls"]
        client.post("/__admin/clock/advance", json={"seconds": 86_400})
        [record] = response.get_json()["result"]
        final = client.get(f"/api/v2/voice/status/{record['id']}", headers=AUTH).get_json()
        return response.get_json(), calls, final

    plain = VENDOR_SAMPLE_REQUEST | {"phoneNumbers": ["09990000002"]}
    assert placed(plain | extra) == placed(plain)


def test_hundred_numbers_are_accepted(client: FlaskClient) -> None:
    response = post(client, {"phoneNumbers": ["09121234567"] * 100, "voiceId": VOICE_ID})
    assert response.status_code == 200
    assert len(response.get_json()["result"]) == 100


INVALID_BODIES = {
    "101 numbers": {"phoneNumbers": ["09121234567"] * 101, "voiceId": VOICE_ID},
    "no numbers": {"phoneNumbers": [], "voiceId": VOICE_ID},
    "numbers missing": {"voiceId": VOICE_ID},
    "numbers not an array": {"phoneNumbers": "09121234567", "voiceId": VOICE_ID},
    "a number not a string": {"phoneNumbers": [9121234567], "voiceId": VOICE_ID},
    "a number too short": {"phoneNumbers": ["0912123456"], "voiceId": VOICE_ID},
    "a number too long": {"phoneNumbers": ["091212345678"], "voiceId": VOICE_ID},
    "a landline": {"phoneNumbers": ["02112345678"], "voiceId": VOICE_ID},
    "a number with a space": {"phoneNumbers": ["0912 1234567"], "voiceId": VOICE_ID},
    "+98 form by default": {"phoneNumbers": ["+989121234567"], "voiceId": VOICE_ID},
    "98 form by default": {"phoneNumbers": ["989121234567"], "voiceId": VOICE_ID},
    "persian digits by default": {"phoneNumbers": ["۰۹۱۲۱۲۳۴۵۶۷"], "voiceId": VOICE_ID},
    "voiceId missing": {"phoneNumbers": ["09121234567"]},
    "voiceId empty": {"phoneNumbers": ["09121234567"], "voiceId": ""},
    "voiceId not a string": {"phoneNumbers": ["09121234567"], "voiceId": 5},
    "retryCount 1.5": VENDOR_SAMPLE_REQUEST | {"retryCount": 1.5},
    "retryCount true": VENDOR_SAMPLE_REQUEST | {"retryCount": True},
    "retryCount a string": VENDOR_SAMPLE_REQUEST | {"retryCount": "1"},
    "retryCount negative": VENDOR_SAMPLE_REQUEST | {"retryCount": -1},
    "retryCount too large": VENDOR_SAMPLE_REQUEST | {"retryCount": 11},
    "retryCount huge": VENDOR_SAMPLE_REQUEST | {"retryCount": 10**30},
    "serverId not a string": VENDOR_SAMPLE_REQUEST | {"serverId": 1},
    "serverId null": VENDOR_SAMPLE_REQUEST | {"serverId": None},
    "an array": [VENDOR_SAMPLE_REQUEST],
    "a string": "hello",
    "null": None,
}


@pytest.mark.parametrize("body", INVALID_BODIES.values(), ids=INVALID_BODIES.keys())
def test_invalid_body_is_invalid_request_and_keeps_nothing(client: FlaskClient, body: object) -> None:
    response = post(client, body)
    assert response.status_code == 400
    assert response.get_json() == {"result": None, "error": "InvalidRequest"}
    assert client.get("/__admin/health").get_json()["calls"] == 0


RAW_BODIES = {
    "empty": b"",
    "not json": b"phoneNumbers=0912",
    "truncated": b'{"phoneNumbers": ["09121234567"',
    "NaN": b'{"phoneNumbers": ["09121234567"], "voiceId": "x", "retryCount": NaN}',
    "infinite": b'{"phoneNumbers": ["09121234567"], "voiceId": "x", "retryCount": 1e400}',
    "latin-1": '{"phoneNumbers": ["09121234567"], "voiceId": "é"}'.encode("latin-1"),
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("raw", RAW_BODIES.values(), ids=RAW_BODIES.keys())
def test_malformed_body_is_invalid_request(client: FlaskClient, raw: bytes) -> None:
    response = client.post(BATCH, data=raw, headers=AUTH, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"result": None, "error": "InvalidRequest"}


def test_body_is_parsed_as_json_whatever_the_content_type(client: FlaskClient) -> None:
    response = client.post(BATCH, data=json.dumps(VENDOR_SAMPLE_REQUEST), headers=AUTH, content_type="text/plain")
    assert response.status_code == 200


def test_unknown_server_id_is_invalid_server(client: FlaskClient) -> None:
    response = post(client, VENDOR_SAMPLE_REQUEST | {"serverId": "nowhere"})
    assert response.status_code == 400
    assert response.get_json() == {"result": None, "error": "InvalidServer"}
    assert client.get("/__admin/health").get_json()["calls"] == 0


def test_configured_server_ids_replace_the_default() -> None:
    client = create_app(Settings(server_ids=frozenset({"dialer-a"}))).test_client()
    assert post(client, VENDOR_SAMPLE_REQUEST | {"serverId": "dialer-a"}).status_code == 200
    assert post(client, VENDOR_SAMPLE_REQUEST | {"serverId": "mirdamad1"}).get_json()["error"] == "InvalidServer"


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "abc"],
)
def test_missing_or_malformed_token_is_unauthorized(client: FlaskClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = post(client, VENDOR_SAMPLE_REQUEST, headers)
    assert response.status_code == 401
    assert response.get_json() == {"result": None, "error": "Unauthorized"}
    assert client.get("/__admin/health").get_json()["calls"] == 0


@pytest.mark.parametrize("name, scheme", [("Authorization", "Bearer"), ("authorization", "bearer"), ("AUTHORIZATION", "BEARER")])
def test_header_name_and_scheme_are_case_insensitive(client: FlaskClient, name: str, scheme: str) -> None:
    assert post(client, VENDOR_SAMPLE_REQUEST, {name: f"{scheme} some-token"}).status_code == 200


def test_configured_tokens_are_the_only_ones_accepted() -> None:
    client = create_app(Settings(tokens=frozenset({"good"}))).test_client()
    assert post(client, VENDOR_SAMPLE_REQUEST, {"Authorization": "Bearer good"}).status_code == 200
    bad = post(client, VENDOR_SAMPLE_REQUEST, {"Authorization": "Bearer bad"})
    assert (bad.status_code, bad.get_json()["error"]) == (401, "Unauthorized")


def test_unauthorized_comes_before_validation(client: FlaskClient) -> None:
    response = client.post(BATCH, data=b"not json", content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "form, number",
    [
        (NumberForm.PLUS98, "+989121234567"),
        (NumberForm.NINETY_EIGHT, "989121234567"),
        (NumberForm.DOUBLE_ZERO, "00989121234567"),
        (NumberForm.PERSIAN_DIGITS, "۰۹۱۲۱۲۳۴۵۶۷"),
        (NumberForm.PERSIAN_DIGITS, "٠٩١٢١٢٣٤٥٦٧"),
    ],
)
def test_other_number_forms_when_enabled_are_accepted_and_echoed_as_sent(form: NumberForm, number: str) -> None:
    client = create_app(Settings(number_forms=frozenset({form}))).test_client()
    response = post(client, {"phoneNumbers": [number], "voiceId": VOICE_ID})
    assert response.status_code == 200
    assert response.get_json()["result"][0]["phoneNumber"] == number


def test_invalid_number_code_is_settable() -> None:
    client = create_app(Settings(invalid_number_error="InvalidPhoneNumber")).test_client()
    response = post(client, {"phoneNumbers": ["12345"], "voiceId": VOICE_ID})
    assert (response.status_code, response.get_json()) == (400, {"result": None, "error": "InvalidPhoneNumber"})
    # A structural problem is still InvalidRequest.
    response = post(client, {"phoneNumbers": "12345", "voiceId": VOICE_ID})
    assert response.get_json()["error"] == "InvalidRequest"


def test_body_over_the_limit_is_413_and_keeps_nothing() -> None:
    client = create_app(Settings(max_body_bytes=2048)).test_client()
    body = {"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID, "padding": "x" * 4096}
    response = post(client, body)
    assert response.status_code == 413
    assert response.get_json() == {"result": None, "error": "PayloadTooLarge"}
    assert client.get("/__admin/health").get_json()["calls"] == 0


def test_default_body_limit_is_one_mebibyte(client: FlaskClient) -> None:
    body = {"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID, "padding": "x" * (1024 * 1024)}
    assert post(client, body).status_code == 413
    body["padding"] = "x" * (1024 * 1000)
    assert post(client, body).status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch", "options"])
def test_other_methods_get_405_with_allow_in_the_envelope(client: FlaskClient, method: str) -> None:
    response = getattr(client, method)(BATCH, headers=AUTH)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.get_json() == {"result": None, "error": "MethodNotAllowed"}


@pytest.mark.parametrize("path", ["/api", "/api/v2/voice", "/api/v2/voice/batch/", "/api/v1/voice/single", "/x" * 50])
def test_unknown_paths_get_404_in_the_envelope(client: FlaskClient, path: str) -> None:
    response = client.post(path, headers=AUTH, json={})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json() == {"result": None, "error": "NotFound"}


def test_admin_answers_plain_json_errors(client: FlaskClient) -> None:
    response = client.get("/__admin/nothing-here")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == "NotFound" and body["message"]
    assert "result" not in body


def test_health_is_ready(client: FlaskClient) -> None:
    response = client.get("/__admin/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["calls"] == 0 and body["seed"] == 1234
