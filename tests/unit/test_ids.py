"""Call ids: uuid4-shaped hex, decodable to their sequence, reproducible under a seed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.ids import IdCodec, key_from_seed, random_key

UUID4_HEX = re.compile(r"[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}")
keys = st.integers(min_value=0, max_value=2**128 - 1)
sequences = st.integers(min_value=0, max_value=2**62 - 1)


@given(keys, sequences)
def test_ids_are_uuid4_hex_and_decode_to_their_sequence(key: int, sequence: int) -> None:
    codec = IdCodec(key)
    made = codec.encode(sequence)
    assert UUID4_HEX.fullmatch(made)
    assert codec.decode(made) == sequence


@given(keys, st.text(max_size=40) | st.from_regex(r"\A[0-9a-f]{32}\Z"))
def test_ids_not_issued_under_the_key_are_rejected(key: int, candidate: str) -> None:
    codec = IdCodec(key)
    sequence = codec.decode(candidate)
    assert sequence is None or codec.encode(sequence) == candidate


@given(keys, sequences, st.integers(min_value=0, max_value=31), st.sampled_from("0123456789abcdef"))
def test_changing_any_character_of_an_id_is_detected(key: int, sequence: int, position: int, char: str) -> None:
    codec = IdCodec(key)
    made = codec.encode(sequence)
    altered = made[:position] + char + made[position + 1 :]
    assert (codec.decode(altered) is None) == (altered != made)


def test_ids_differ_by_sequence_and_by_key() -> None:
    ids = {IdCodec(key_from_seed(seed)).encode(n) for seed in range(5) for n in range(200)}
    assert len(ids) == 1000


def test_same_seed_same_ids() -> None:
    assert IdCodec(key_from_seed(7)).encode(3) == IdCodec(key_from_seed(7)).encode(3)
    assert IdCodec(random_key()).encode(3) != IdCodec(random_key()).encode(3)


def test_the_vendors_sample_id_is_not_a_call_here() -> None:
    assert IdCodec(key_from_seed(1)).decode("755021ff3bfd4669af3145b285297756") is None
