"""The row of tests/api/test_option_round_trips.py for `--shared-projects`: given on the command
line or in BITEL_MOCK_SHARED_PROJECTS, a call placed with one token is found by another."""

from __future__ import annotations

from typing import Any

from tests.projects.steps import TOKEN_A, TOKEN_B, call_status, place_call


def shared_projects_true(e: Any) -> None:
    call_id = place_call(e.client, TOKEN_A)
    code, answer = call_status(e.client, call_id, TOKEN_B)
    assert (code, answer["result"]["id"]) == (200, call_id)


PROJECT_OPTION_CHECKS: tuple[tuple[tuple[tuple[str, str], ...], Any], ...] = (
    ((("--shared-projects", "true"),), shared_projects_true),
)
"""(flag, value) pairs, the first naming the option pinned, and the check."""
