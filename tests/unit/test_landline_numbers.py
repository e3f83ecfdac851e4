"""Landline numbers: refused by default (every documented number is a mobile one), accepted
with `--number-form landline` in every other accepted form, and matched by the served pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.cli import build_parser, settings_from
from bitel_mock.domain.phone import NumberForm, NumberPolicy, parse_forms
from tests.conftest import AUTH, VOICE_ID

LANDLINE = "02112345678"


def test_a_landline_is_refused_by_default() -> None:
    assert NumberPolicy().to_local(LANDLINE) is None
    assert re.fullmatch(NumberPolicy().json_pattern(), LANDLINE) is None


def test_the_landline_form_accepts_landlines_and_mobiles() -> None:
    policy = NumberPolicy(parse_forms(["landline"]))
    assert policy.to_local(LANDLINE) == LANDLINE
    assert policy.to_local("09121234567") == "09121234567"
    assert policy.to_local("00112345678") is None  # no area code starts with 0
    assert policy.to_local("0211234567") is None  # ten digits


def test_landline_combines_with_the_other_forms() -> None:
    policy = NumberPolicy(parse_forms(["landline", "plus98", "persian-digits"]))
    assert policy.to_local("+982112345678") == LANDLINE
    assert policy.to_local("۰۲۱۱۲۳۴۵۶۷۸") == LANDLINE
    assert NumberPolicy(parse_forms(["plus98"])).to_local("+982112345678") is None


@given(area=st.integers(1, 8), rest=st.from_regex(r"[0-9]{9}", fullmatch=True),
       forms=st.sets(st.sampled_from(["plus98", "98", "0098", "persian-digits"])))
def test_the_served_pattern_accepts_what_the_policy_accepts(area: int, rest: str, forms: set[str]) -> None:
    number = f"0{area}{rest[:9]}"
    for chosen in (forms, forms | {"landline"}):
        policy = NumberPolicy(parse_forms(chosen))
        assert (policy.to_local(number) is not None) == (re.fullmatch(policy.json_pattern(), number) is not None)
        assert (policy.to_local(number) is not None) == (NumberForm.LANDLINE in policy.forms)


@pytest.mark.parametrize(("argv", "status"), [([], 400), (["--number-form", "landline"], 200)])
def test_the_option_decides_a_landline_call(argv: list[str], status: int) -> None:
    settings = settings_from(build_parser().parse_args(["serve", *argv]))
    client = create_app(settings).test_client()
    answer = client.post("/api/v2/voice/single", json={"phoneNumber": LANDLINE, "voiceId": VOICE_ID}, headers=AUTH)
    assert answer.status_code == status
    if status == 200:
        assert answer.get_json()["result"]["phoneNumber"] == LANDLINE
