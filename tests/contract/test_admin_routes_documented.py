"""The control plane's document keeps up with its routes: every /__admin rule of the url map
has an operation, every operation a rule, whatever the settings; and every operation
documents the answers every control-plane route can give."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint, Flask

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import TOKEN
from tests.contract.admin_document import documented_operations, operations, served_operations

ADMIN_TOKEN = "admin-secret"
SETTINGS = {
    "defaults": {},
    "admin token": {"admin_token": ADMIN_TOKEN},
    "projects (tokens, shared)": {"tokens": frozenset({TOKEN}), "shared_projects": True},
    "SMS gateways and webhook hosts": {
        "sms_gateways": frozenset({"98100010"}),
        "webhook_allowed_hosts": frozenset({"127.0.0.1"}),
    },
}
DASHBOARD_OPERATIONS = frozenset(
    {("get", "/__admin/ui"), ("get", "/__admin/ui/"), ("get", "/__admin/ui/static/{file}")}
)
"""The dashboard's page, redirect and files: no data, from the package and the settings."""
OPEN_OPERATIONS = frozenset({("get", "/__admin/health")}) | DASHBOARD_OPERATIONS
"""Answered without the admin token."""
STORELESS_OPERATIONS = frozenset({("get", "/__admin/admin-openapi.json")}) | DASHBOARD_OPERATIONS
"""Answered from the settings alone: never 503."""


def _app(**settings: Any) -> Flask:
    return create_app(Settings(seed=3, clock="manual", start_time=1_700_000_000, **settings))


def _served_document(app: Flask) -> dict[str, Any]:
    answer = app.test_client().get(
        "/__admin/admin-openapi.json", headers={"X-Admin-Token": ADMIN_TOKEN}
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS.keys())
def test_every_admin_route_has_an_operation_and_every_operation_a_route(
    settings: dict[str, Any],
) -> None:
    app = _app(**settings)
    served, documented = served_operations(app), documented_operations(_served_document(app))
    assert sorted(served - documented) == [], "routes the admin document does not describe"
    assert sorted(documented - served) == [], "operations no route serves"
    assert len(served) >= 30


def test_the_check_sees_a_route_missing_from_the_document() -> None:
    app = _app()
    extra = Blueprint("undocumented", __name__, url_prefix="/__admin")
    extra.add_url_rule("/things/<int:thing_id>", "thing", lambda thing_id: "", methods=["PATCH"])
    app.register_blueprint(extra)
    missing = served_operations(app) - documented_operations(_served_document(app))
    assert missing == {("PATCH", "/__admin/things/{}")}


def test_the_served_document_is_the_contract_file() -> None:
    assert documented_operations(_served_document(_app())) == documented_operations(
        contracts.openapi("admin-openapi.yaml")
    )


SPEC = contracts.openapi("admin-openapi.yaml")
OPERATIONS = operations(SPEC)
IDS = [f"{method.upper()} {path}" for method, path, _ in OPERATIONS]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_documents_the_guard_and_the_store(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    statuses = set(operation["responses"])
    assert {"403", "421"} <= statuses
    assert ("401" in statuses) == ((method, path) not in OPEN_OPERATIONS)
    assert ("503" in statuses) == ((method, path) not in STORELESS_OPERATIONS)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_body_and_every_integer_parameter_is_bounded(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    if "requestBody" in operation:
        assert {"400", "413"} <= set(operation["responses"]), "a body can be malformed or too large"
    for parameter in operation.get("parameters", []):
        parameter = (
            SPEC["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
            if "$ref" in parameter
            else parameter
        )
        schema = parameter["schema"]
        if schema.get("type") == "integer":
            assert "minimum" in schema and "maximum" in schema, parameter["name"]
            assert "400" in operation["responses"], parameter["name"]


def test_every_operation_has_a_unique_id() -> None:
    ids = [operation["operationId"] for _, _, operation in OPERATIONS]
    assert len(ids) == len(set(ids)) == len(OPERATIONS)
