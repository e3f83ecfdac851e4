"""Short tokens are masked too: a masked token never shows more than half of its characters,
so a token of four characters or fewer never appears whole in the journal or a fault listing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.tokens import MASK_KEEPS, MASK_MARK, mask_authorization, mask_token
from tests.toolkit.conftest import SINGLE, SINGLE_BODY

ASCII_TOKENS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40)


@given(ASCII_TOKENS)
def test_a_masked_token_shows_at_most_half_of_it(token: str) -> None:
    shown = mask_token(token).removesuffix(MASK_MARK)
    assert token.startswith(shown)
    assert len(shown) <= min(MASK_KEEPS, len(token) // 2)
    assert token not in mask_token(token)


@pytest.mark.parametrize(
    ("token", "masked"),
    [("t", "…"), ("ab", "a…"), ("abc", "a…"), ("abcd", "ab…"), ("abcde", "ab…"),
     ("abcdefg", "abc…"), ("abcdefgh", "abcd…"), ("sk-live-0123456789", "sk-l…")],
)
def test_masks_by_length(token: str, masked: str) -> None:
    assert mask_token(token) == masked
    assert mask_authorization(f"Bearer {token}") == f"Bearer {masked}"


@pytest.mark.parametrize("token", ["Zq9", "Wx7K", "Q"])
def test_a_short_token_never_appears_whole_in_the_journal_or_the_faults(token: str) -> None:
    client = create_app(Settings(seed=8)).test_client()
    installed = client.post("/__admin/faults", json={"kind": "status", "status": 503, "token": token, "times": 1})
    assert installed.status_code == 201
    client.post(SINGLE, json=SINGLE_BODY, headers={"Authorization": f"Bearer {token}", "X-Admin-Token": token})
    journal = client.get("/__admin/requests").get_data(as_text=True)
    faults = client.get("/__admin/faults").get_data(as_text=True)
    installed_text = installed.get_data(as_text=True)
    for text in (journal, faults, installed_text):
        assert token not in text
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert entry["token"] == mask_token(token)
    assert entry["headers"]["Authorization"] == f"Bearer {mask_token(token)}"
    assert entry["headers"]["X-Admin-Token"] == mask_token(token)
