"""The control plane's rules that JSON Schema cannot state, as the admin document's text says them.

A generator reading the document can send a request that keeps every schema
and still breaks one of these; the emulator must then refuse it with 400, and
the conformance test asserts exactly that instead of expecting it accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import schemathesis

from bitel_mock.domain.patterns import PatternError, compile_pattern


def _offset_with_cursor(case: schemathesis.Case) -> str | None:
    query: Mapping[str, Any] = case.query or {}
    if "offset" in query and "cursor" in query:
        return "cursor cannot be combined with offset"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _integer_with_fraction(body: Mapping[str, Any], fields: tuple[str, ...]) -> str | None:
    """JSON Schema counts 5.0 an integer; the toolkit's definitions take only a JSON integer."""
    for field in fields:
        if isinstance(body.get(field), float):
            return f"{field} must be written as an integer (no fraction, no exponent)"
    return None


def _body_integers(*fields: str) -> Callable[[schemathesis.Case], str | None]:
    def rule(case: schemathesis.Case) -> str | None:
        body = case.body
        return _integer_with_fraction(body, fields) if isinstance(body, Mapping) else None

    return rule


def _fault_beyond_schema(case: schemathesis.Case) -> str | None:
    body = case.body
    if not isinstance(body, Mapping):
        return None
    written = _integer_with_fraction(body, ("times", "status"))
    if written:
        return written
    low, high = body.get("minSeconds"), body.get("maxSeconds")
    if _is_number(low) and _is_number(high) and low > high:
        return "minSeconds must not exceed maxSeconds"
    pattern = body.get("pathPattern")
    if isinstance(pattern, str):
        try:
            compile_pattern(pattern)
        except PatternError:
            return "pathPattern must be a regular expression RE2 runs"
    return None


RULES: dict[str, Callable[[schemathesis.Case], str | None]] = {
    "listRequests": _offset_with_cursor,
    "addFault": _fault_beyond_schema,
    "countRequests": _body_integers("status"),
    "setRateLimit": _body_integers("burst", "maxWaiting"),
}
"""Per operation id: the rule beyond the schema that a case breaks, or None."""


def broken_rule(case: schemathesis.Case) -> str | None:
    """The documented rule beyond JSON Schema that this case breaks, if any."""
    if case.method.upper() != case.operation.method.upper():  # a probe of another method
        return None
    rule = RULES.get(case.operation.definition.raw.get("operationId", ""))
    return rule(case) if rule else None
