"""Splitting calls into runs of consecutive sequence numbers: one stored row per run."""

from __future__ import annotations

from collections.abc import Sequence

from bitel_mock.domain.model import Call


def consecutive_runs(calls: Sequence[Call]) -> list[Sequence[Call]]:
    """`calls` cut wherever the next sequence number does not follow the previous one."""
    runs: list[Sequence[Call]] = []
    start = 0
    for index in range(1, len(calls) + 1):
        if index == len(calls) or calls[index].sequence != calls[index - 1].sequence + 1:
            runs.append(calls[start:index])
            start = index
    return runs
