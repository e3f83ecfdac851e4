"""Domain values for tests that need a `Call` without placing one through the API."""

from __future__ import annotations

from typing import Any

from bitel_mock.domain.lifecycle import Timing, plan_call
from bitel_mock.domain.model import CallStatus, Plan
from bitel_mock.domain.outcomes import AttemptSpec


def plan_for(request_date: int, retry_count: int = 1, *outcomes: CallStatus, **timing: Any) -> Plan:
    """The plan of a call accepted at `request_date` whose attempts end in `outcomes` (default: answered)."""
    script = tuple(AttemptSpec(status) for status in outcomes) or (AttemptSpec(CallStatus.NORMAL),)
    return plan_call(
        request_date=request_date, retry_count=retry_count, script=script, talk_seconds=20, timing=Timing(**timing)
    )
