"""The control plane's served OpenAPI document, read by tests: its operations, and each answer's schema."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
from flask import Flask
from werkzeug.test import TestResponse

METHODS = ("get", "put", "post", "delete", "patch")
UNSERVED_METHODS = frozenset({"HEAD", "OPTIONS"})
"""Answered by Flask itself for every route, and documented nowhere."""
ADMIN_PREFIX = "/__admin"
_FLASK_PARAMETER = re.compile(r"<(?:[^:<>]+:)?[^<>]+>")
_OPENAPI_PARAMETER = re.compile(r"\{[^{}]+\}")
Operation = tuple[str, str]
"""(METHOD, path with every parameter written `{}`)."""


def served_operations(app: Flask) -> set[Operation]:
    """Every method of every rule of the app's url map under /__admin (but HEAD and OPTIONS)."""
    return {
        (method, _FLASK_PARAMETER.sub("{}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(ADMIN_PREFIX + "/") or rule.rule == ADMIN_PREFIX
        for method in (rule.methods or set()) - UNSERVED_METHODS
    }


def documented_operations(spec: dict[str, Any]) -> set[Operation]:
    """Every operation of an OpenAPI document."""
    return {
        (method.upper(), _OPENAPI_PARAMETER.sub("{}", path))
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    }


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation object) of every operation of the document."""
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _resolved(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def response_schema(spec: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any]:
    """The JSON schema the document gives this operation's answer with this status (KeyError
    when the status is not documented)."""
    response = _resolved(spec, spec["paths"][path][method.lower()]["responses"][str(status)])
    return response["content"]["application/json"]["schema"]


def assert_documented(spec: dict[str, Any], method: str, path: str, answer: TestResponse) -> Any:
    """The answer's JSON, after checking its status is documented for the operation and its
    body is valid against the schema given for that status."""
    responses = spec["paths"][path][method.lower()]["responses"]
    assert str(answer.status_code) in responses, (
        method,
        path,
        answer.status_code,
        answer.get_data(as_text=True),
    )
    assert answer.mimetype == "application/json", (method, path, answer.mimetype)
    schema = response_schema(spec, method, path, answer.status_code)
    body = answer.get_json()
    jsonschema_rs.validator_for({**schema, "components": spec["components"]}).validate(body)
    return body
