"""The number policy: which forms are accepted, and the pattern served for them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.domain.phone import LOCAL_PATTERN, NumberForm, NumberPolicy, parse_forms

form_sets = st.sets(st.sampled_from(list(NumberForm))).map(frozenset)
candidates = st.one_of(
    st.from_regex(r"\A(\+98|98|0098|0)9[0-9]{9}\Z"),
    st.from_regex(r"\A[+0-9۰-۹٠-٩]{9,15}\Z"),
    st.text(max_size=16),
)


def test_contract_pattern_is_the_local_form() -> None:
    assert contracts.raw_schema("phone-number")["pattern"] == LOCAL_PATTERN


@given(form_sets, candidates)
def test_served_pattern_accepts_exactly_what_the_policy_accepts(forms: frozenset[NumberForm], number: str) -> None:
    policy = NumberPolicy(forms)
    matches = re.search(policy.json_pattern(), number) is not None
    assert matches == (policy.to_local(number) is not None)


@given(form_sets, candidates)
def test_accepted_numbers_become_the_local_form(forms: frozenset[NumberForm], number: str) -> None:
    local = NumberPolicy(forms).to_local(number)
    assert local is None or re.fullmatch(r"09[0-9]{9}", local)


@pytest.mark.parametrize(
    "number, local",
    [("+989121234567", "09121234567"), ("989121234567", "09121234567"), ("00989121234567", "09121234567"), ("۰۹۱۲۱۲۳۴۵۶۷", "09121234567")],
)
def test_every_form_when_all_are_on(number: str, local: str) -> None:
    assert NumberPolicy(frozenset(NumberForm)).to_local(number) == local
    assert NumberPolicy().to_local(number) is None


def test_parse_forms_names_the_known_forms_on_error() -> None:
    assert parse_forms(["plus98"]) == {NumberForm.LOCAL, NumberForm.PLUS98}
    with pytest.raises(ValueError, match="plus98"):
        parse_forms(["e164"])
