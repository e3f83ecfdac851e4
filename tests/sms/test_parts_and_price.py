"""Parts and price of any text, against an oracle written here from the GSM 03.38 tables by
code position (the emulator keeps the alphabet as a set of characters)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bitel_mock.domain.sms_parts import part_count, price_of
from tests.sms.steps import SINGLE, advance, send, sms_app, status

# The GSM 7-bit default alphabet by position 0x00..0x7F (0x1B is the escape, no character).
GSM7_BY_POSITION = (
    [
        0x40,
        0xA3,
        0x24,
        0xA5,
        0xE8,
        0xE9,
        0xF9,
        0xEC,
        0xF2,
        0xC7,
        0x0A,
        0xD8,
        0xF8,
        0x0D,
        0xC5,
        0xE5,
        0x394,
        0x5F,
        0x3A6,
        0x393,
        0x39B,
        0x3A9,
        0x3A0,
        0x3A8,
        0x3A3,
        0x398,
        0x39E,
        None,
        0xC6,
        0xE6,
        0xDF,
        0xC9,
    ]
    + [0xA4 if position == 0x24 else position for position in range(0x20, 0x40)]
    + [0xA1, *range(0x41, 0x5B), 0xC4, 0xD6, 0xD1, 0xDC, 0xA7]
    + [0xBF, *range(0x61, 0x7B), 0xE4, 0xF6, 0xF1, 0xFC, 0xE0]
)
# The extension table: form feed ^ { } \ [ ~ ] | and the euro sign, two septets each.
GSM7_EXTENSION = [0x0C, 0x5E, 0x7B, 0x7D, 0x5C, 0x5B, 0x7E, 0x5D, 0x7C, 0x20AC]
ONE_SEPTET = {chr(point) for point in GSM7_BY_POSITION if point is not None}
TWO_SEPTETS = {chr(point) for point in GSM7_EXTENSION}
PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی۰۱۲۳۴۵۶۷۸۹ "


def oracle_parts(text: str) -> int:
    """Parts by counting: septets or UTF-16 units, then whole parts taken one at a time."""
    if all(c in ONE_SEPTET or c in TWO_SEPTETS for c in text):
        size, alone, per_part = sum(1 if c in ONE_SEPTET else 2 for c in text), 160, 153
    else:
        size, alone, per_part = len(text.encode("utf-16-be")) // 2, 70, 67
    if size <= alone:
        return 1
    parts = 0
    while size > 0:
        size -= per_part
        parts += 1
    return parts


gsm_texts = st.text(st.sampled_from(sorted(ONE_SEPTET | TWO_SEPTETS)), min_size=1, max_size=800)
persian_texts = st.text(st.sampled_from(PERSIAN), min_size=1, max_size=400)
mixed_texts = st.builds(lambda a, b: a + b, gsm_texts, persian_texts)
any_texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=400)
texts = gsm_texts | persian_texts | mixed_texts | any_texts


def test_the_oracle_tables_have_the_standard_sizes() -> None:
    assert (len(GSM7_BY_POSITION), len(ONE_SEPTET), len(TWO_SEPTETS)) == (128, 127, 10)


def test_161_latin_characters_are_2_parts_and_160_are_1() -> None:
    assert (part_count("a" * 160), part_count("a" * 161)) == (1, 2)
    assert (part_count("a" * 306), part_count("a" * 307)) == (2, 3)


def test_71_persian_characters_are_2_parts_and_70_are_1() -> None:
    assert (part_count("س" * 70), part_count("س" * 71)) == (1, 2)
    assert (part_count("س" * 134), part_count("س" * 135)) == (2, 3)


def test_an_extension_character_takes_two_septets() -> None:
    assert (part_count("€" * 80), part_count("€" * 80 + "a")) == (1, 2)
    assert part_count("{" * 81) == 2


def test_one_character_outside_the_alphabet_makes_the_whole_text_ucs2() -> None:
    assert (part_count("a" * 70), part_count("a" * 70 + "`"), part_count("a" * 69 + "س")) == (
        1,
        2,
        1,
    )


def test_a_character_beyond_the_basic_plane_takes_two_utf16_units() -> None:
    assert (part_count("😀" * 35), part_count("😀" * 35 + "a")) == (1, 2)


@given(texts)
def test_parts_of_any_text_match_the_oracle(text: str) -> None:
    assert part_count(text) == oracle_parts(text)


@given(st.integers(1, 10_000), st.decimals(0, 100_000, places=2).map(float))
def test_the_price_is_minus_parts_times_tariff_to_two_places(parts: int, tariff: float) -> None:
    price = price_of(parts, tariff)
    assert price == -round(parts * tariff, 2)
    assert price <= 0 and str(price) != "-0.0"


@settings(max_examples=60)
@given(texts)
def test_a_sent_text_is_echoed_with_its_parts_and_charged_per_part(text: str) -> None:
    client = APP.test_client()
    record = send(client, SINGLE, {"message": text, "phoneNumber": "09121234567"})
    assert (record["message"], record["partCount"], record["price"]) == (
        text,
        oracle_parts(text),
        0.0,
    )
    advance(client, 5)
    assert status(client, record["id"])["price"] == -14.0 * oracle_parts(text)


APP = sms_app()
