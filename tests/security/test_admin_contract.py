"""The control plane's contract documents the guard's answers on every operation."""

from __future__ import annotations

from bitel_mock import contracts
from tests.security.helpers import EVIL, emulator

METHODS = {"get", "post", "put", "delete", "patch"}


def test_every_admin_operation_documents_403_and_421() -> None:
    spec = contracts.openapi("admin-openapi.yaml")
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items() if method in METHODS]
    assert operations
    for path, method, operation in operations:
        assert {"403", "421"} <= set(operation["responses"]), (method, path)
    responses = spec["components"]["responses"]
    error_schema = responses["BadRequest"]["content"]["application/json"]["schema"]
    for name in ("Forbidden", "MisdirectedRequest"):
        assert responses[name]["content"]["application/json"]["schema"] == error_schema


def test_the_served_admin_document_is_refused_to_other_sites_like_the_rest() -> None:
    client = emulator().test_client()
    assert client.get("/__admin/admin-openapi.json", headers={"Origin": EVIL}).status_code == 403
    assert client.get("/__admin/admin-openapi.json", headers={"Host": "evil.example"}).status_code == 421
    served = client.get("/__admin/admin-openapi.json").get_json()
    assert "403" in served["paths"]["/__admin/reset"]["post"]["responses"]
