"""Rows of tests/api/test_option_round_trips.py for the SMS options: each a non-default value,
given on the command line or in its BITEL_MOCK_* variable, shown to change what a message does.

A check gets that module's `Emulated` (its `client` is the app's test client; the emulator's
clock runs over a fixed wall clock, moved only through the control plane).
"""

from __future__ import annotations

from typing import Any

from tests.sms.steps import SINGLE, advance, refused, send, status


def _single(e: Any, **fields: Any) -> dict[str, Any]:
    return send(e.client, SINGLE, {"message": "Hi", "phoneNumber": "09121234567", **fields})


def gateways_20001_and_30002(e: Any) -> None:
    for line in ("20001", "30002", "10009909"):
        assert _single(e, gatewayNumber=line)["gatewayNumber"] == line
    assert refused(
        e.client,
        SINGLE,
        {"message": "Hi", "phoneNumber": "09121234567", "gatewayNumber": "10007200"},
    ) == (
        400,
        {"result": None, "error": "InvalidGateway"},
    )


def tariff_3_5(e: Any) -> None:
    record = _single(e, message="x" * 161)  # two parts
    advance(e.client, 86_400)
    assert status(e.client, record["id"])["price"] == -7.0


def _codes(e: Any, seconds: range) -> list[int]:
    record = _single(e)
    seen = []
    for _ in seconds:
        seen.append(status(e.client, record["id"])["status"])
        advance(e.client, 1)
    return seen


def check_after_4_seconds(e: Any) -> None:
    assert _codes(e, range(7)) == [0, 0, 0, 0, 2, 1, 1]


def delivered_after_9_seconds(e: Any) -> None:
    assert _codes(e, range(11)) == [0, 0, 2, 2, 2, 2, 2, 2, 2, 1, 1]


SMS_OPTION_CHECKS: tuple[tuple[tuple[tuple[str, str], ...], Any], ...] = (
    ((("--sms-gateway", "20001"), ("--sms-gateway", "30002")), gateways_20001_and_30002),
    ((("--sms-tariff", "3.5"),), tariff_3_5),
    ((("--sms-check-seconds", "4"),), check_after_4_seconds),
    ((("--sms-deliver-seconds", "9"),), delivered_after_9_seconds),
)
"""(flag, value) pairs, the first naming the option pinned, and the check."""
