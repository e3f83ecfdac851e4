"""Call ids: uuid4-shaped hex, reproducible under a seed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.ids import IdGenerator

UUID4_HEX = re.compile(r"[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}")


@given(st.integers(), st.integers(min_value=0, max_value=2**40))
def test_seeded_ids_are_uuid4_hex_and_repeatable(seed: int, sequence: int) -> None:
    made = IdGenerator(seed).make(sequence)
    assert UUID4_HEX.fullmatch(made)
    assert IdGenerator(seed).make(sequence) == made


def test_seeded_ids_differ_by_sequence_and_by_seed() -> None:
    ids = {IdGenerator(seed).make(n) for seed in range(5) for n in range(200)}
    assert len(ids) == 1000


def test_unseeded_ids_are_fresh() -> None:
    generator = IdGenerator()
    assert len({generator.make(0) for _ in range(100)}) == 100
