"""Strict reading of control-plane definitions (faults, matchers, limits) from JSON."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class DefinitionError(ValueError):
    """A definition sent to the control plane is wrong; `field` names the bad part."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = f"{field}: {message}"


def require_object(value: Any, field: str = "(body)") -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DefinitionError(field, "must be a JSON object")
    return value


def reject_unknown(data: Mapping[str, Any], known: Iterable[str]) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise DefinitionError(unknown[0], f"is not a known field (known: {', '.join(sorted(known))})")


def optional_str(data: Mapping[str, Any], field: str) -> str | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise DefinitionError(field, "must be a non-empty string")
    return value


def optional_int(data: Mapping[str, Any], field: str, low: int, high: int | None = None) -> int | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(field, "must be an integer")
    if value < low or (high is not None and value > high):
        bound = f"{low} to {high}" if high is not None else f"at least {low}"
        raise DefinitionError(field, f"must be {bound}")
    return value


def optional_number(data: Mapping[str, Any], field: str, low: float, high: float) -> float | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DefinitionError(field, "must be a number")
    if not low <= value <= high:
        raise DefinitionError(field, f"must be between {low:g} and {high:g}")
    return float(value)
