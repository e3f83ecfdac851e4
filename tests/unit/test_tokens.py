"""Bearer tokens: parsing the header, the acceptance check, masking, and the one fingerprint."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bitel_mock.errors import Unauthorized
from bitel_mock.tokens import (
    FINGERPRINT_HEX_DIGITS,
    MASK_KEEPS,
    MASK_MARK,
    TokenCheck,
    bearer_token,
    mask_authorization,
    mask_token,
    token_fingerprint,
)

# What a header value can hold once werkzeug has decoded it (latin-1), without line breaks.
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40)
token_chars = st.characters(min_codepoint=0x21, max_codepoint=0xFF, exclude_categories=("Z", "C"))
"""What a token is made of in a header: no spaces or controls (which `strip` would take off)."""
tokens = st.text(token_chars, min_size=1, max_size=40)
long_tokens = st.text(token_chars, min_size=MASK_KEEPS + 1, max_size=40)


def test_the_documented_sizes() -> None:
    assert (MASK_KEEPS, MASK_MARK, FINGERPRINT_HEX_DIGITS) == (4, "…", 16)


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer sk-live-1", "sk-live-1"),
        ("bearer sk-live-1", "sk-live-1"),
        ("BEARER   sk-live-1  ", "sk-live-1"),
        ("  Bearer sk-live-1", "sk-live-1"),
        ("Bearer", None),
        ("Bearer   ", None),
        ("Basic dXNlcjpwYXNz", None),
        ("sk-live-1", None),
        ("", None),
        (None, None),
    ],
)
def test_a_bearer_token_is_read_from_the_authorization_header(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


@given(st.sampled_from(["Bearer", "bearer", "BeArEr"]), tokens)
def test_any_token_after_the_bearer_scheme_is_read_back(scheme: str, token: str) -> None:
    assert bearer_token(f"{scheme} {token}") == token


def test_the_check_accepts_any_token_when_none_are_configured() -> None:
    assert TokenCheck(frozenset()).require("Bearer whatever") == "whatever"


def test_the_check_accepts_only_the_configured_tokens() -> None:
    check = TokenCheck(frozenset({"t1", "t2"}))
    assert check.require("Bearer t2") == "t2"
    with pytest.raises(Unauthorized, match="not accepted"):
        check.require("Bearer t3")


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc"])
def test_the_check_refuses_a_missing_bearer_token(header: str | None) -> None:
    with pytest.raises(Unauthorized, match="no bearer token"):
        TokenCheck(frozenset()).require(header)


@given(header_text)
def test_a_masked_token_shows_at_most_its_first_four_characters(token: str) -> None:
    masked = mask_token(token)
    assert masked == token[: min(MASK_KEEPS, len(token) // 2)] + MASK_MARK
    assert len(masked) <= MASK_KEEPS + len(MASK_MARK)


@given(long_tokens)
def test_a_masked_token_never_holds_the_whole_token(token: str) -> None:
    assert token not in mask_token(token)


@given(st.sampled_from(["Bearer", "Basic", "Token"]), tokens)
def test_a_masked_authorization_keeps_the_scheme_and_masks_the_credential(scheme: str, token: str) -> None:
    assert mask_authorization(f"{scheme} {token}") == f"{scheme} {mask_token(token)}"


@given(tokens)
def test_an_authorization_of_one_word_is_masked_whole(value: str) -> None:
    assert mask_authorization(value) == mask_token(value)


@given(st.text(max_size=60))
def test_a_fingerprint_is_the_sha256_hex_prefix_and_stable(token: str) -> None:
    fingerprint = token_fingerprint(token)
    assert re.fullmatch(f"[0-9a-f]{{{FINGERPRINT_HEX_DIGITS}}}", fingerprint)
    assert fingerprint == hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]
    assert token_fingerprint(token) == fingerprint


def test_a_fingerprint_is_the_same_in_every_release() -> None:
    """Stored state (calls, webhook URLs, buckets, faults) is keyed by it."""
    assert token_fingerprint("test-token") == "4c5dc9b7708905f7"


@given(st.text(max_size=60), st.text(max_size=60))
def test_distinct_tokens_have_distinct_fingerprints(one: str, other: str) -> None:
    assume(one != other)
    assert token_fingerprint(one) != token_fingerprint(other)


@given(st.text(token_chars, min_size=FINGERPRINT_HEX_DIGITS, max_size=40))
def test_a_fingerprint_does_not_reveal_the_token(token: str) -> None:
    assert token not in token_fingerprint(token)
