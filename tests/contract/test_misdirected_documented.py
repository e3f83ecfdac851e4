"""The emulated API's contract documents the Host guard's 421 on every operation, and what the
guard answers there is what the contract says (the envelope with `MisdirectedRequest`)."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import TOKEN

METHODS = {"get", "post", "put", "delete", "patch"}
MISDIRECTED_REF = {"$ref": "#/components/responses/MisdirectedRequest"}
FOREIGN_HOST = {"Host": "rebound.example"}
SAMPLE_ID = "5f0c4f3bd7a44f0b9a1a6c2b1e9d3f7a"


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _misdirected_validator(spec: dict[str, Any]) -> Draft202012Validator:
    """The documented 421 body schema, its references resolved against the whole document."""
    response = spec["components"]["responses"]["MisdirectedRequest"]
    body = response["content"]["application/json"]["schema"]
    return Draft202012Validator({**body, "components": spec["components"]})


OPERATIONS = _operations(contracts.openapi())
OPERATION_IDS = [f"{method.upper()} {path}" for path, method, _ in OPERATIONS]


def test_the_contract_has_operations_to_check() -> None:
    assert len(OPERATIONS) == 12  # 6 voice, 6 SMS


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=OPERATION_IDS)
def test_every_operation_documents_421_as_misdirected_request(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    assert operation["responses"].get("421") == MISDIRECTED_REF, (method, path)


def test_the_documented_421_body_is_the_envelope_with_misdirected_request_only() -> None:
    validator = _misdirected_validator(contracts.openapi())
    assert validator.is_valid({"result": None, "error": "MisdirectedRequest"})
    assert not validator.is_valid({"result": None, "error": "Forbidden"})
    assert not validator.is_valid({"result": {}, "error": "MisdirectedRequest"})
    assert not validator.is_valid("<html>Misdirected Request</html>")


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=OPERATION_IDS)
def test_a_foreign_host_gets_the_documented_421(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    client = create_app(Settings(seed=3)).test_client()
    response = client.open(
        path.replace("{requestId}", SAMPLE_ID),
        method=method.upper(),
        headers={**FOREIGN_HOST, "Authorization": f"Bearer {TOKEN}"},
        json={},
    )
    assert response.status_code == 421
    assert response.mimetype == "application/json"
    errors = list(_misdirected_validator(contracts.openapi()).iter_errors(response.get_json()))
    assert errors == [], errors


def test_the_served_document_documents_421_on_every_operation() -> None:
    served = create_app(Settings(seed=3)).test_client().get("/__admin/openapi.json").get_json()
    operations = _operations(served)
    assert len(operations) == len(OPERATIONS)
    for path, method, operation in operations:
        assert "421" in operation["responses"], (method, path)
    assert _misdirected_validator(served).is_valid({"result": None, "error": "MisdirectedRequest"})
