"""The contract of the Bitel voice API, and the one loader both sides use.

`schemas/` holds one JSON Schema (draft 2020-12) per file; they refer to each
other by file name. `openapi.yaml` describes the emulated API and refers to
those files. This module reads them, resolves the references, and hands out:

- `schema(name)`: a self-contained schema (every reference inlined);
- `validator(name)`: a compiled `jsonschema_rs` validator for it;
- `openapi()`: the OpenAPI document with every schema file bundled under
  `components/schemas`, ready to serve or to give to schemathesis.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import yaml

__all__ = [
    "SchemaNotFound",
    "component_name",
    "openapi",
    "raw_schema",
    "schema",
    "schema_names",
    "validator",
]

_SCHEMA_SUFFIX = ".json"
_COMPONENTS_PREFIX = "#/components/schemas/"

JSON = dict[str, Any]


class SchemaNotFound(KeyError):
    """No schema file of that name exists in `contracts/schemas/`."""


def _package_files() -> Any:
    return resources.files(__name__)


@cache
def schema_names() -> tuple[str, ...]:
    """The file names of every schema, e.g. `call-record.json`, sorted."""
    folder = _package_files() / "schemas"
    return tuple(sorted(p.name for p in folder.iterdir() if p.name.endswith(_SCHEMA_SUFFIX)))


@cache
def _raw(name: str) -> JSON:
    if name not in schema_names():
        raise SchemaNotFound(name)
    text = (_package_files() / "schemas" / name).read_text(encoding="utf-8")
    return json.loads(text)


def raw_schema(name: str) -> JSON:
    """The schema file as written, references untouched (a copy)."""
    return copy.deepcopy(_raw(_with_suffix(name)))


def _with_suffix(name: str) -> str:
    return name if name.endswith(_SCHEMA_SUFFIX) else name + _SCHEMA_SUFFIX


def component_name(file_name: str) -> str:
    """`call-record.json` -> `CallRecord`: the schema's name in the OpenAPI document."""
    stem = file_name.removesuffix(_SCHEMA_SUFFIX)
    return "".join(part.capitalize() for part in stem.split("-"))


def _is_file_ref(ref: str) -> bool:
    return not ref.startswith("#") and ref.removeprefix("./schemas/").removeprefix("./").endswith(
        _SCHEMA_SUFFIX
    )


def _file_of(ref: str) -> str:
    return ref.removeprefix("./schemas/").removeprefix("./")


def _inline(node: Any, overrides: Mapping[str, JSON]) -> Any:
    """Replace every file reference below `node` by the (inlined) schema it names."""
    if isinstance(node, list):
        return [_inline(item, overrides) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and _is_file_ref(ref):
        target = _file_of(ref)
        if target in overrides:
            return copy.deepcopy(dict(overrides[target]))
        resolved = _inline(_raw(target), overrides)
        resolved.pop("$schema", None)
        siblings = {k: _inline(v, overrides) for k, v in node.items() if k != "$ref"}
        return {**resolved, **siblings}
    return {key: _inline(value, overrides) for key, value in node.items()}


def schema(name: str, *, overrides: Mapping[str, JSON] | None = None) -> JSON:
    """The named schema with every file reference inlined.

    `overrides` swaps a referenced file for another schema, e.g. a looser
    phone number for a server set to accept more number forms.
    """
    resolved = _inline(_raw(_with_suffix(name)), dict(overrides or {}))
    resolved.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    return resolved


@cache
def _cached_validator(name: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(schema(name))


def validator(name: str, *, overrides: Mapping[str, JSON] | None = None) -> jsonschema_rs.Validator:
    """A compiled validator for the named schema (cached when no overrides are given)."""
    if not overrides:
        return _cached_validator(_with_suffix(name))
    return jsonschema_rs.validator_for(schema(name, overrides=overrides))


def _rewrite_refs(node: Any) -> Any:
    """Point file references at `#/components/schemas/...` instead."""
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    rewritten = {key: _rewrite_refs(value) for key, value in node.items()}
    ref = rewritten.get("$ref")
    if isinstance(ref, str) and _is_file_ref(ref):
        rewritten["$ref"] = _COMPONENTS_PREFIX + component_name(_file_of(ref))
    return rewritten


@cache
def _openapi(document: str) -> JSON:
    text = (_package_files() / document).read_text(encoding="utf-8")
    spec = _rewrite_refs(yaml.safe_load(text))
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    for file_name in schema_names():
        body = _rewrite_refs(_raw(file_name))
        body.pop("$schema", None)
        components[component_name(file_name)] = body
    return spec


def openapi(document: str = "openapi.yaml") -> JSON:
    """The OpenAPI document, every schema bundled under `components/schemas` (a copy)."""
    return copy.deepcopy(_openapi(document))
