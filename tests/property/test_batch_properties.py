"""Properties of POST /api/v2/voice/batch over generated requests."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import AUTH
from tests.property.strategies import invalid_batch_bodies, json_values, valid_batch_bodies

BATCH = "/api/v2/voice/batch"
RESPONSE = contracts.validator("batch-call-response")
ERROR = contracts.validator("error-envelope")

# One app for all examples: properties are checked as differences in its state.
APP = create_app(Settings(seed=99))
CLIENT = APP.test_client()


def _calls() -> int:
    return CLIENT.get("/__admin/health").get_json()["calls"]


def _post(body: Any) -> Any:
    return CLIENT.post(BATCH, data=json.dumps(body), headers=AUTH, content_type="application/json")


@given(valid_batch_bodies())
def test_any_valid_request_is_accepted_with_one_record_per_number(body: dict[str, Any]) -> None:
    before = _calls()
    response = _post(body)
    assert response.status_code == 200
    payload = response.get_json()
    RESPONSE.validate(payload)
    records = payload["result"]
    assert [r["phoneNumber"] for r in records] == body["phoneNumbers"]
    assert len({r["id"] for r in records}) == len(records)
    assert all(r["status"] == "WAITING" and r["price"] == 0.0 for r in records)
    assert _calls() == before + len(records)


@given(invalid_batch_bodies())
def test_any_invalid_request_is_a_documented_400_and_changes_nothing(body: Any) -> None:
    before = _calls()
    response = _post(body)
    assert response.status_code == 400, body
    payload = response.get_json()
    ERROR.validate(payload)
    assert payload["error"] == "InvalidRequest"
    assert _calls() == before


@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()), st.sampled_from(["POST", "GET", "PUT", "DELETE"]), st.sampled_from([BATCH, "/api/v2/voice/status/x", "/api/v2/other", "/__admin/health"]))
def test_no_input_gives_a_server_error_or_html(raw: bytes, method: str, path: str) -> None:
    response = CLIENT.open(path, method=method, data=raw, headers=AUTH)
    assert response.status_code < 500
    assert response.mimetype == "application/json"
    response.get_json()
