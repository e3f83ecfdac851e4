"""Drawn outcomes follow the weights: an outcome weighted 0 is never drawn, and one that holds
every positive weight always is."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.outcomes import SCRIPT_OUTCOMES, Distribution

outcomes = st.sampled_from(sorted(SCRIPT_OUTCOMES, key=lambda status: status.code))


@given(
    drawn=outcomes,
    never=st.lists(outcomes, min_size=1, max_size=5, unique=True),
    weight=st.floats(1e-6, 1e6),
    seed=st.integers(),
    length=st.integers(1, 11),
)
def test_only_outcomes_with_a_positive_weight_are_drawn(
    drawn: CallStatus, never: list[CallStatus], weight: float, seed: int, length: int
) -> None:
    weights = {status: 0.0 for status in never} | {drawn: weight}
    script = Distribution(weights).script(random.Random(seed), length)
    assert [spec.status for spec in script] == [drawn] * length
