"""The `safe` profile's hand-written probes: requests that cannot place a call.

Every body carries `UNDIALABLE` wherever a number goes, so each probe is
refused even by a server that ignored the rule it is about: a probe proves
that the server refuses such a request with the documented status and code,
not which rule refused it (the `full` profile probes single rules, with
numbers that may be called). Expected codes therefore include the number
error codes wherever the number could be reported first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bitel_mock.verify.model import Evidence
from bitel_mock.verify.safety import UNDIALABLE
from bitel_mock.verify.wire import NO_BODY

VOICE_ID = "08e815cbcd724386805103ac0d45e4c2"
"""The vendor's sample voice id."""
UNKNOWN_ID = "0" * 32
"""A well-formed id that no call has."""
BAD_SERVER_ID = "no-such-server-0"

INVALID = frozenset({"InvalidRequest"})
NUMBER_OR_INVALID = frozenset({"InvalidRequest", "InvalidPhoneNumber"})
"""A body with an undialable number may be refused for the number first."""
SERVER_OR_INVALID = frozenset({"InvalidRequest", "InvalidPhoneNumber", "InvalidServer"})


@dataclass(frozen=True)
class Probe:
    """One request and the error answer it must get."""

    name: str
    group: str
    method: str
    path: str
    status: int
    codes: frozenset[str]
    body: Any = NO_BODY
    raw: str | None = None
    authorized: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    status_evidence: Evidence = Evidence.GUESS
    code_evidence: Evidence = Evidence.GUESS
    allow: str | None = None
    """For a 405: a method the Allow header must list."""


@dataclass(frozen=True)
class CallEndpoint:
    """A sending endpoint (calls or messages) and a body for it that is valid but for its
    number."""

    path: str
    name: str
    many: bool
    extra: dict[str, Any]

    @property
    def number_key(self) -> str:
        return "phoneNumbers" if self.many else "phoneNumber"

    def numbers(self, *numbers: str) -> Any:
        return list(numbers) if self.many else numbers[0]

    def body(self, **changes: Any) -> dict[str, Any]:
        """The base body (undialable number) with fields changed; a value of NO_BODY removes one."""
        body = {self.number_key: self.numbers(UNDIALABLE), **self.extra}
        for key, value in changes.items():
            if value is NO_BODY:
                body.pop(key, None)
            else:
                body[key] = value
        return body


ENDPOINTS = (
    CallEndpoint("/api/v2/voice/batch", "batch", True, {"voiceId": VOICE_ID}),
    CallEndpoint("/api/v2/voice/batch/tts", "batch-tts", True, {"text": "probe"}),
    CallEndpoint("/api/v2/voice/single", "single", False, {"voiceId": VOICE_ID}),
    CallEndpoint("/api/v2/voice/single/tts", "single-tts", False, {"text": "probe"}),
    CallEndpoint("/api/v2/voice/otp", "otp", False, {"text": "1234"}),
)
STATUS_PATH = "/api/v2/voice/status/"


def _auth_probes() -> Iterator[Probe]:
    batch = ENDPOINTS[0]
    common = {
        "group": "auth",
        "status": 401,
        "codes": frozenset({"Unauthorized"}),
        "status_evidence": Evidence.DOC,
    }
    yield Probe(
        "auth/no-token",
        method="POST",
        path=batch.path,
        body=batch.body(),
        authorized=False,
        **common,
    )
    yield Probe(
        "auth/basic-scheme",
        method="POST",
        path=batch.path,
        body=batch.body(),
        authorized=False,
        headers={"Authorization": "Basic dXNlcjpwYXNz"},
        **common,
    )
    yield Probe(
        "auth/empty-bearer",
        method="POST",
        path=batch.path,
        body=batch.body(),
        authorized=False,
        headers={"Authorization": "Bearer "},
        **common,
    )
    yield Probe(
        "auth/status-no-token",
        method="GET",
        path=STATUS_PATH + UNKNOWN_ID,
        authorized=False,
        **common,
    )


def malformed_probes(endpoint: CallEndpoint) -> Iterator[Probe]:
    common = {
        "group": "malformed",
        "method": "POST",
        "path": endpoint.path,
        "status": 400,
        "codes": INVALID,
        "code_evidence": Evidence.DOC,
    }
    prefix = f"malformed/{endpoint.name}"
    yield Probe(f"{prefix}/not-json", raw='{"' + endpoint.number_key + '": [', **common)
    yield Probe(f"{prefix}/empty-body", raw="", **common)
    yield Probe(f"{prefix}/json-array", body=[endpoint.body()], **common)
    yield Probe(f"{prefix}/json-string", body="probe", **common)
    yield Probe(
        f"{prefix}/nan",
        raw='{"'
        + endpoint.number_key
        + '": '
        + _json(endpoint.numbers(UNDIALABLE))
        + ', "retryCount": NaN}',
        **common,
    )


def _json(value: Any) -> str:
    return json.dumps(value)


Rule = tuple[str, dict[str, Any], frozenset[str]]
"""A rule probe: its name, the change to the valid body, the error codes accepted."""


def number_rules(endpoint: CallEndpoint) -> list[Rule]:
    """The rules of the number field(s) an endpoint takes (voice and SMS alike)."""
    key = endpoint.number_key
    rules: list[Rule] = [
        ("number-missing", {key: NO_BODY}, INVALID),
        ("number-undialable", {}, NUMBER_OR_INVALID),
        ("number-letters", {key: endpoint.numbers("not-a-number")}, NUMBER_OR_INVALID),
        ("number-wrong-type", {key: {"number": UNDIALABLE}}, NUMBER_OR_INVALID),
    ]
    if endpoint.many:
        rules += [
            ("numbers-empty", {key: []}, INVALID),
            ("numbers-101", {key: [UNDIALABLE] * 101}, NUMBER_OR_INVALID),
            ("numbers-not-array", {key: UNDIALABLE}, NUMBER_OR_INVALID),
        ]
    return rules


def _rules(endpoint: CallEndpoint) -> list[Rule]:
    """(name, change to the valid body, accepted codes) for every InvalidRequest rule of the endpoint."""
    rules = number_rules(endpoint)
    if "voiceId" in endpoint.extra:
        rules += [
            ("voice-missing", {"voiceId": NO_BODY}, NUMBER_OR_INVALID),
            ("voice-empty", {"voiceId": ""}, NUMBER_OR_INVALID),
        ]
    if endpoint.name in ("batch-tts", "single-tts"):
        rules += [
            ("text-missing", {"text": NO_BODY}, NUMBER_OR_INVALID),
            ("text-empty", {"text": ""}, NUMBER_OR_INVALID),
            ("text-too-long", {"text": "x" * 1001}, NUMBER_OR_INVALID),
        ]
    if endpoint.name == "otp":
        rules += [
            ("code-six-digits", {"text": "123456"}, NUMBER_OR_INVALID),
            ("code-not-digits", {"text": "12a4"}, NUMBER_OR_INVALID),
            ("repeat-count-6", {"repeatCount": 6}, NUMBER_OR_INVALID),
            ("repeat-count-zero-string", {"repeatCount": "0"}, NUMBER_OR_INVALID),
        ]
    rules += [
        ("retry-count-negative", {"retryCount": -1}, NUMBER_OR_INVALID),
        ("retry-count-11", {"retryCount": 11}, NUMBER_OR_INVALID),
        ("retry-count-fraction", {"retryCount": 1.5}, NUMBER_OR_INVALID),
        ("retry-count-string", {"retryCount": "1"}, NUMBER_OR_INVALID),
        ("server-id-null", {"serverId": None}, NUMBER_OR_INVALID),
        ("server-id-unknown", {"serverId": BAD_SERVER_ID}, SERVER_OR_INVALID),
    ]
    return rules


def _rule_probes(endpoint: CallEndpoint) -> Iterator[Probe]:
    """One probe per InvalidRequest rule of the endpoint, each with the undialable number."""
    common = {
        "group": "rules",
        "method": "POST",
        "path": endpoint.path,
        "status": 400,
        "code_evidence": Evidence.DOC,
    }
    for name, changes, codes in _rules(endpoint):
        yield Probe(
            f"rules/{endpoint.name}/{name}", body=endpoint.body(**changes), codes=codes, **common
        )


def _status_and_path_probes() -> Iterator[Probe]:
    not_found = {"status": 404, "codes": frozenset({"NotFound"}), "code_evidence": Evidence.SAMPLE}
    yield Probe(
        "status/unknown-id",
        group="status",
        method="GET",
        path=STATUS_PATH + UNKNOWN_ID,
        **not_found,
    )
    yield Probe(
        "status/malformed-id",
        group="status",
        method="GET",
        path=STATUS_PATH + "not-an-id",
        **not_found,
    )
    yield Probe(
        "paths/unknown-get",
        group="paths",
        method="GET",
        path="/api/v2/voice/no-such-endpoint",
        **not_found,
    )
    yield Probe(
        "paths/unknown-post",
        group="paths",
        method="POST",
        path="/api/v2/voice/batch/no-such-endpoint",
        body=ENDPOINTS[0].body(),
        **not_found,
    )
    yield Probe(
        "paths/wrong-method",
        group="paths",
        method="GET",
        path=ENDPOINTS[0].path,
        status=405,
        codes=frozenset({"MethodNotAllowed"}),
        allow="POST",
    )
    yield Probe(
        "paths/status-wrong-method",
        group="paths",
        method="DELETE",
        path=STATUS_PATH + UNKNOWN_ID,
        status=405,
        codes=frozenset({"MethodNotAllowed"}),
        allow="GET",
    )


def safe_probes() -> list[Probe]:
    """Every probe of the `safe` profile, in the order they run: the voice family's, then the
    SMS family's."""
    # Imported here: the SMS probes are built from this module's pieces.
    from bitel_mock.verify.sms_probes import safe_sms_probes

    probes = [*_auth_probes()]
    for endpoint in ENDPOINTS:
        probes.extend(malformed_probes(endpoint))
    for endpoint in ENDPOINTS:
        probes.extend(_rule_probes(endpoint))
    probes.extend(_status_and_path_probes())
    probes.extend(safe_sms_probes())
    return probes
