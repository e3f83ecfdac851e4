"""The pattern served in /__admin/openapi.json accepts exactly the numbers the emulator accepts,
for numbers in every form, written with any mix of ASCII, Persian and Arabic-Indic digits."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.phone import NumberForm, NumberPolicy

PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC = "٠١٢٣٤٥٦٧٨٩"

form_sets = st.sets(st.sampled_from(list(NumberForm))).map(frozenset)


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """A mobile number behind any prefix, each digit in one of the three scripts."""
    prefix = draw(st.sampled_from(["0", "+98", "98", "0098", "+0", "9", ""]))
    ascii_number = prefix + "9" + draw(st.text("0123456789", min_size=9, max_size=9))
    scripts = draw(
        st.lists(
            st.sampled_from(["ascii", "persian", "arabic"]),
            min_size=len(ascii_number),
            max_size=len(ascii_number),
        )
    )
    written = []
    for char, script in zip(ascii_number, scripts, strict=True):
        if not char.isdigit() or script == "ascii":
            written.append(char)
        else:
            written.append((PERSIAN if script == "persian" else ARABIC)[int(char)])
    return "".join(written)


@given(form_sets, numbers())
def test_the_served_pattern_matches_exactly_the_accepted_numbers(
    forms: frozenset[NumberForm], number: str
) -> None:
    policy = NumberPolicy(forms)
    assert (re.search(policy.json_pattern(), number) is not None) == (
        policy.to_local(number) is not None
    )


def test_persian_digits_are_in_the_served_pattern_only_when_accepted() -> None:
    persian_local = "۰۹۱۲۱۲۳۴۵۶۷"
    persian_plus98 = "+۹۸۹۱۲۱۲۳۴۵۶۷"
    with_persian = NumberPolicy(
        frozenset({NumberForm.PERSIAN_DIGITS, NumberForm.PLUS98})
    ).json_pattern()
    without = NumberPolicy(frozenset({NumberForm.PLUS98})).json_pattern()
    assert re.search(with_persian, persian_local) and re.search(with_persian, persian_plus98)
    assert not re.search(without, persian_local) and not re.search(without, persian_plus98)
    assert re.search(without, "+989121234567")
