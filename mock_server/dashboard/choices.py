"""What the page offers to choose from, named as the control plane names it: statuses,
outcomes, kinds, fault kinds, taken from the domain so the page never drifts from the API."""

from __future__ import annotations

from typing import Any

from bitel_mock.domain.model import CallKind, CallStatus
from bitel_mock.domain.outcomes import SCRIPT_OUTCOMES
from bitel_mock.domain.sms_model import FINAL_OUTCOMES, MessageKind, SmsStatus

FAULT_KINDS = ("status", "delay", "drop", "malformed")
"""The `kind` values of POST /__admin/faults."""


def _in_code_order(statuses: Any) -> list[str]:
    return [status.name for status in sorted(statuses, key=lambda status: status.value)]


def page_choices() -> dict[str, Any]:
    """The template's lists of names, and the SMS record codes by name for the scripts."""
    return {
        "call_statuses": [status.name for status in CallStatus],
        "sms_statuses": [status.name for status in SmsStatus],
        "call_outcomes": _in_code_order(SCRIPT_OUTCOMES),
        "sms_outcomes": _in_code_order(FINAL_OUTCOMES),
        "kinds": [kind.value for kind in CallKind] + [f"sms:{kind.value}" for kind in MessageKind],
        "fault_kinds": FAULT_KINDS,
        "sms_codes": {str(status.code): status.name for status in SmsStatus},
    }
