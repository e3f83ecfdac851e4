"""Faults: make the emulated API misbehave on purpose, for matching requests.

A fault matches a method and a path (exact, or a regular expression in RE2
syntax, matched against the whole path in linear time), and
optionally a phone number in the body or a bearer token. It does one thing:

- `delay`: answer normally, after `seconds` (or a random time between
  `minSeconds` and `maxSeconds`) of real wall-clock time; the call is placed;
- `status`: answer `status` with the envelope and `error`; nothing is placed;
- `drop`: close the connection without a response; nothing is placed;
- `malformed`: answer a broken body (`truncated` JSON, `not-json`, `empty`);
  nothing is placed.

It fires on the next `times` matching requests (absent: every one), each with
`probability` (absent: 1). Draws are a pure function of the seed, the fault's
id and how many requests it has matched, so a run under `--seed` repeats.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bitel_mock.domain import patterns
from bitel_mock.errors import code_for_status
from bitel_mock.store.generation import Generations
from bitel_mock.tokens import mask_token, token_fingerprint
from bitel_mock.toolkit.definitions import (
    DefinitionError,
    optional_int,
    optional_number,
    optional_str,
    reject_unknown,
    require_object,
)
from bitel_mock.toolkit.storage import FaultStore

MAX_DELAY_SECONDS = 60.0
KINDS = ("delay", "status", "drop", "malformed")
MALFORMED_BODIES = ("truncated", "not-json", "empty")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_FIELDS = (
    "kind", "method", "path", "pathPattern", "phoneNumber", "token", "times", "probability",
    "seconds", "minSeconds", "maxSeconds", "status", "error", "body",
)
_FIELDS_OF_KIND = {
    "delay": {"seconds", "minSeconds", "maxSeconds"},
    "status": {"status", "error"},
    "drop": set(),
    "malformed": {"body", "status"},
}


def _error_for(status: int) -> str:
    return code_for_status(status)


def parse_fault(data: Any) -> dict[str, Any]:
    """A fault definition checked field by field, ready to store; DefinitionError names the bad field."""
    data = require_object(data)
    reject_unknown(data, _FIELDS)
    kind = data.get("kind")
    if kind not in KINDS:
        raise DefinitionError("kind", f"must be one of {', '.join(KINDS)}")
    stray = sorted(set(data) & (set().union(*_FIELDS_OF_KIND.values()) - _FIELDS_OF_KIND[kind]))
    if stray:
        raise DefinitionError(stray[0], f"does not apply to a {kind} fault")

    method = optional_str(data, "method")
    if method is not None and method.upper() not in METHODS:
        raise DefinitionError("method", f"must be one of {', '.join(METHODS)}")
    path = optional_str(data, "path")
    pattern = optional_str(data, "pathPattern")
    if path is not None and pattern is not None:
        raise DefinitionError("pathPattern", "cannot be combined with path")
    if path is not None and not path.startswith("/"):
        raise DefinitionError("path", "must start with /")
    if path is not None and path.startswith("/__admin"):
        raise DefinitionError("path", "faults apply to the emulated API, not /__admin")
    if pattern is not None:
        try:
            patterns.compile_pattern(pattern)
        except patterns.PatternError as exc:
            raise DefinitionError("pathPattern", str(exc)) from None
    token = optional_str(data, "token")
    fault: dict[str, Any] = {
        "kind": kind,
        "method": method.upper() if method else None,
        "path": path,
        "pathPattern": pattern,
        "phoneNumber": optional_str(data, "phoneNumber"),
        "token": mask_token(token) if token else None,
        "tokenKey": token_fingerprint(token) if token else None,
        "remaining": optional_int(data, "times", 1, 1_000_000),
        "probability": optional_number(data, "probability", 0.0, 1.0),
    }
    if fault["probability"] == 0.0:
        raise DefinitionError("probability", "must be above 0")
    fault.update(_action(kind, data))
    return fault


def _action(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "delay":
        seconds = optional_number(data, "seconds", 0.0, MAX_DELAY_SECONDS)
        low = optional_number(data, "minSeconds", 0.0, MAX_DELAY_SECONDS)
        high = optional_number(data, "maxSeconds", 0.0, MAX_DELAY_SECONDS)
        if seconds is not None and (low is not None or high is not None):
            raise DefinitionError("seconds", "give either seconds or minSeconds and maxSeconds")
        if seconds is None:
            if low is None or high is None:
                raise DefinitionError("seconds", "a delay needs seconds, or minSeconds and maxSeconds")
            if low > high:
                raise DefinitionError("minSeconds", "must not exceed maxSeconds")
            return {"minSeconds": low, "maxSeconds": high}
        return {"seconds": seconds}
    if kind == "status":
        status = optional_int(data, "status", 400, 599)
        if status is None:
            raise DefinitionError("status", "is required for a status fault (400 to 599)")
        error = data.get("error", _error_for(status))
        if not isinstance(error, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", error):
            raise DefinitionError("error", "must be a code of letters, digits and _ (at most 64)")
        return {"status": status, "error": error}
    if kind == "malformed":
        body = data.get("body", "truncated")
        if body not in MALFORMED_BODIES:
            raise DefinitionError("body", f"must be one of {', '.join(MALFORMED_BODIES)}")
        status = optional_int(data, "status", 200, 599)
        return {"body": body, "status": status if status is not None else 200}
    return {}


@dataclass(frozen=True)
class RequestFacts:
    """What a fault can match on."""

    method: str
    path: str
    phone_numbers: Sequence[str]
    token: str | None


def matches(fault: Mapping[str, Any], facts: RequestFacts) -> bool:
    if fault["method"] is not None and fault["method"] != facts.method:
        return False
    if fault["path"] is not None and fault["path"] != facts.path:
        return False
    if fault["pathPattern"] is not None and not _path_matches(fault["pathPattern"], facts.path):
        return False
    if fault["phoneNumber"] is not None and fault["phoneNumber"] not in facts.phone_numbers:
        return False
    return fault["tokenKey"] is None or (
        facts.token is not None and fault["tokenKey"] == token_fingerprint(facts.token)
    )


def _path_matches(pattern: str, path: str) -> bool:
    # `stored`: a fault kept from before patterns ran on RE2 matches nothing, not every request.
    compiled = patterns.stored(pattern)
    return compiled is not None and compiled.fullmatch(path)


@dataclass(frozen=True)
class Firing:
    """A fault that fires for this request, with its drawn delay."""

    fault: dict[str, Any]
    delay: float = 0.0

    @property
    def kind(self) -> str:
        return self.fault["kind"]

    @property
    def id(self) -> str:
        return self.fault["id"]


def public(fault: Mapping[str, Any]) -> dict[str, Any]:
    """A stored fault as the control plane shows it (no token key, no empty fields)."""
    return {
        key: value
        for key, value in fault.items()
        if key != "tokenKey" and (value is not None or key == "remaining")
    }


class FaultBook:
    """Installs faults in the store and decides which one, if any, fires for a request.

    The definitions are read once per generation of the control plane
    (`generations`; by default the store's generation is read on every use); how often a
    fault matched and how many uses remain are counted in the store on each match.
    """

    def __init__(self, store: FaultStore, seed: int, *, generations: Generations | None = None) -> None:
        self.store = store
        self.seed = seed
        self._installed = (generations or Generations(store.generation)).kept(store.list_faults)

    def add(self, data: Any) -> dict[str, Any]:
        return public(self.store.add_fault(parse_fault(data)))

    def list(self) -> list[dict[str, Any]]:
        return [public(fault) for fault in self.store.list_faults()]

    def remove(self, fault_id: str) -> bool:
        return self.store.remove_fault(fault_id)

    def clear(self) -> None:
        self.store.clear_faults()

    def _draw(self, fault_id: str, hit: int) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}:{fault_id}:{hit}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def installed(self) -> list[dict[str, Any]]:
        """The installed faults as last read (empty: no request needs to be matched)."""
        return self._installed()

    def fire(self, facts: RequestFacts) -> Firing | None:
        """The first installed fault (oldest first) that matches and fires, used up by one."""
        for fault in self._installed():
            if not matches(fault, facts):
                continue
            hit = self.store.hit_fault(fault["id"])
            if hit is None:
                continue
            draw = self._draw(fault["id"], hit)
            probability = fault["probability"]
            if probability is not None and draw.random() >= probability:
                continue
            if not self.store.consume_fault(fault["id"]):
                continue
            delay = fault.get("seconds") or 0.0
            if "minSeconds" in fault:
                delay = draw.uniform(fault["minSeconds"], fault["maxSeconds"])
            return Firing(fault, delay)
        return None
