"""Every schema is valid against its metaschema, and every reference resolves."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from bitel_mock import contracts


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


@pytest.mark.parametrize("name", contracts.schema_names())
def test_schema_file_is_valid_against_its_metaschema(name: str) -> None:
    raw = contracts.raw_schema(name)
    assert raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(raw)


@pytest.mark.parametrize("name", contracts.schema_names())
def test_every_file_reference_names_an_existing_schema(name: str) -> None:
    for ref in _refs(contracts.raw_schema(name)):
        assert ref in contracts.schema_names(), f"{name} refers to missing {ref}"


@pytest.mark.parametrize("name", contracts.schema_names())
def test_bundled_schema_is_self_contained_and_valid(name: str) -> None:
    bundled = contracts.schema(name)
    assert _refs(bundled) == []
    jsonschema.Draft202012Validator.check_schema(bundled)


def test_openapi_document_is_3_1_and_every_reference_resolves() -> None:
    spec = contracts.openapi()
    assert spec["openapi"].startswith("3.1")
    refs = _refs(spec)
    assert refs, "the document should use references"
    for ref in refs:
        assert ref.startswith("#/"), f"unbundled reference {ref}"
        node: Any = spec
        for part in ref[2:].split("/"):
            assert part in node, f"{ref} does not resolve"
            node = node[part]


def test_openapi_component_schemas_are_valid_against_the_metaschema() -> None:
    spec = contracts.openapi()
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(spec))
    for name, body in spec["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(body)
        # Every component compiles with its references resolved against the document.
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"urn:spec#/components/schemas/{name}"}, registry=registry
        )
        assert validator.schema, name


def test_served_openapi_is_the_contract_with_the_configuration_filled_in(client) -> None:
    response = client.get("/__admin/openapi.json")
    assert response.status_code == 200
    served = response.get_json()
    expected = json.loads(json.dumps(contracts.openapi()))
    expected["components"]["schemas"]["ServerId"]["enum"] = ["mirdamad1"]
    for name in ("SmsGatewayNumber", "SmsP2pRequest", "SmsTemplateRequest"):  # tests/sms/test_served_contract.py
        served["components"]["schemas"].pop(name)
        expected["components"]["schemas"].pop(name)
    assert served == expected


def test_loader_rejects_an_unknown_schema() -> None:
    with pytest.raises(contracts.SchemaNotFound):
        contracts.schema("no-such-schema")
