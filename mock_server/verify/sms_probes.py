"""The `safe` profile's probes of the SMS family: requests that cannot send a message.

The rule of the voice probes holds here: every body carries `UNDIALABLE`
wherever a recipient number goes (and as the gateway of the gateway probe),
so a server that ignored the rule a probe is about still has no number to
send to. Expected codes therefore include the number error codes wherever
the number could be reported first. `TemplatePending` is not probed: it
needs a template registered and left pending, which only the emulator's
control plane can do.
"""

from __future__ import annotations

from collections.abc import Iterator

from bitel_mock.verify.model import Evidence
from bitel_mock.verify.probes import (
    NUMBER_OR_INVALID,
    UNKNOWN_ID,
    CallEndpoint,
    Probe,
    Rule,
    malformed_probes,
    number_rules,
)
from bitel_mock.verify.safety import UNDIALABLE
from bitel_mock.verify.wire import NO_BODY

SAMPLE_TEMPLATE_ID = 1234
"""The vendor's sample template (`Truth: {1} {2} {3}`)."""
SAMPLE_PARAMS = ["Bitel", "is", "awesome"]
UNKNOWN_TEMPLATE_ID = 2147483647
"""The highest templateId the contract allows: no project registers it."""
SMS_STATUS_PATH = "/api/v2/sms/status/"

GATEWAY_OR_INVALID = NUMBER_OR_INVALID | {"InvalidGateway"}
TEMPLATE_OR_INVALID = NUMBER_OR_INVALID | {"InvalidTemplate"}
FORMAT_OR_INVALID = NUMBER_OR_INVALID | {"TemplateFormatError"}

SMS_ENDPOINTS = (
    CallEndpoint("/api/v2/sms/single", "sms-single", False, {"message": "probe"}),
    CallEndpoint("/api/v2/sms/batch", "sms-batch", True, {"message": "probe"}),
    CallEndpoint("/api/v2/sms/batch/p2p", "sms-p2p", True, {"messages": ["probe"]}),
    CallEndpoint("/api/v2/sms/otp", "sms-otp", False, {"appName": "probe", "code": "1234"}),
    CallEndpoint(
        "/api/v2/sms/template",
        "sms-template",
        False,
        {"templateId": SAMPLE_TEMPLATE_ID, "params": SAMPLE_PARAMS},
    ),
)
SINGLE, BATCH, P2P, OTP, TEMPLATE = SMS_ENDPOINTS

def _text_rules(endpoint: CallEndpoint) -> list[Rule]:
    if endpoint is P2P:
        return [
            ("messages-missing", {"messages": NO_BODY}, NUMBER_OR_INVALID),
            ("messages-empty", {"messages": []}, NUMBER_OR_INVALID),
            ("messages-more-than-numbers", {"messages": ["a", "b"]}, NUMBER_OR_INVALID),
            ("message-empty", {"messages": [""]}, NUMBER_OR_INVALID),
            ("messages-not-array", {"messages": "probe"}, NUMBER_OR_INVALID),
        ]
    if endpoint in (SINGLE, BATCH):
        return [
            ("message-missing", {"message": NO_BODY}, NUMBER_OR_INVALID),
            ("message-empty", {"message": ""}, NUMBER_OR_INVALID),
            ("message-wrong-type", {"message": ["probe"]}, NUMBER_OR_INVALID),
        ]
    if endpoint is OTP:
        return [
            ("app-name-missing", {"appName": NO_BODY}, NUMBER_OR_INVALID),
            ("app-name-empty", {"appName": ""}, NUMBER_OR_INVALID),
            ("code-missing", {"code": NO_BODY}, NUMBER_OR_INVALID),
            ("code-empty", {"code": ""}, NUMBER_OR_INVALID),
            ("code-wrong-type", {"code": 1234}, NUMBER_OR_INVALID),
        ]
    return [
        ("template-id-missing", {"templateId": NO_BODY}, NUMBER_OR_INVALID),
        ("template-id-string", {"templateId": "1234"}, NUMBER_OR_INVALID),
        ("template-id-fraction", {"templateId": 1234.5}, NUMBER_OR_INVALID),
        ("params-missing", {"params": NO_BODY}, NUMBER_OR_INVALID),
        ("params-not-array", {"params": "Bitel"}, NUMBER_OR_INVALID),
        ("params-wrong-item-type", {"params": [1, 2, 3]}, NUMBER_OR_INVALID),
        ("template-unknown", {"templateId": UNKNOWN_TEMPLATE_ID}, TEMPLATE_OR_INVALID),
        ("template-too-few-params", {"params": ["Bitel"]}, FORMAT_OR_INVALID),
        ("template-too-many-params", {"params": [*SAMPLE_PARAMS, "x"]}, FORMAT_OR_INVALID),
    ]


def _gateway_rules(endpoint: CallEndpoint) -> list[Rule]:
    if endpoint in (OTP, TEMPLATE):  # no gatewayNumber field: ignored as unknown
        return []
    return [
        ("gateway-unknown", {"gatewayNumber": UNDIALABLE}, GATEWAY_OR_INVALID),
        ("gateway-wrong-type", {"gatewayNumber": 10009909}, GATEWAY_OR_INVALID),
    ]


def _rule_probes(endpoint: CallEndpoint) -> Iterator[Probe]:
    for name, changes, codes in [
        *number_rules(endpoint),
        *_text_rules(endpoint),
        *_gateway_rules(endpoint),
    ]:
        yield Probe(
            f"rules/{endpoint.name}/{name}",
            group="rules",
            method="POST",
            path=endpoint.path,
            status=400,
            codes=codes,
            body=endpoint.body(**changes),
            code_evidence=Evidence.DOC,
        )


def _auth_status_and_path_probes() -> Iterator[Probe]:
    unauthorized = {
        "status": 401,
        "codes": frozenset({"Unauthorized"}),
        "status_evidence": Evidence.DOC,
        "authorized": False,
    }
    yield Probe(
        "auth/sms-no-token", "auth", "POST", SINGLE.path, body=SINGLE.body(), **unauthorized
    )
    yield Probe(
        "auth/sms-status-no-token", "auth", "GET", SMS_STATUS_PATH + UNKNOWN_ID, **unauthorized
    )
    not_found = {"status": 404, "codes": frozenset({"NotFound"}), "code_evidence": Evidence.GUESS}
    yield Probe("status/sms-unknown-id", "status", "GET", SMS_STATUS_PATH + UNKNOWN_ID, **not_found)
    yield Probe(
        "status/sms-malformed-id", "status", "GET", SMS_STATUS_PATH + "not-an-id", **not_found
    )
    yield Probe(
        "paths/sms-unknown-post",
        "paths",
        "POST",
        "/api/v2/sms/no-such-endpoint",
        body=SINGLE.body(),
        **not_found,
    )
    method_not_allowed = {"status": 405, "codes": frozenset({"MethodNotAllowed"})}
    yield Probe(
        "paths/sms-wrong-method", "paths", "GET", SINGLE.path, allow="POST", **method_not_allowed
    )
    yield Probe(
        "paths/sms-status-wrong-method",
        "paths",
        "DELETE",
        SMS_STATUS_PATH + UNKNOWN_ID,
        allow="GET",
        **method_not_allowed,
    )


def safe_sms_probes() -> list[Probe]:
    """Every SMS probe of the `safe` profile, in the order they run."""
    probes = [*_auth_status_and_path_probes()]
    for endpoint in SMS_ENDPOINTS:
        probes.extend(malformed_probes(endpoint))
    for endpoint in SMS_ENDPOINTS:
        probes.extend(_rule_probes(endpoint))
    return probes
