"""Under a seed, ids and campaign ids are the same from one release to the next: a test
suite may keep them in its fixtures."""

from __future__ import annotations

from bitel_mock.domain.ids import IdCodec, key_from_seed

SEED = 1234


def test_a_seed_gives_a_128_bit_key_that_does_not_change() -> None:
    assert key_from_seed(SEED) == 0xC800CACFC1B36B7E18E46DD99A099DBE


def test_the_first_ids_under_a_seed_do_not_change() -> None:
    ids = IdCodec(key_from_seed(SEED))
    assert [ids.encode(n) for n in (0, 1, 2**40)] == [
        "108770b6e99642a4a20e8ad782dd8c1f",
        "4c789183566d4892b53f9d3032218edf",
        "2910c8d3b4164143beb5f3bb28818597",
    ]
    assert [ids.decode(ids.encode(n)) for n in (0, 1, 2**40)] == [0, 1, 2**40]


def test_the_first_campaign_id_under_a_seed_does_not_change() -> None:
    assert IdCodec(key_from_seed(SEED)).campaign_id(0) == "352670ea5963063c50d2c533f229d24f"
