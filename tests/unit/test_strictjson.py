"""Strict JSON read fast: whatever the bytes, `loads` answers exactly what the standard-library
reading answers (the same document, or a ValueError where it raises one)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bitel_mock import strictjson

_documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
_texts = st.one_of(
    _documents.map(json.dumps),
    _documents.map(lambda d: json.dumps(d, ensure_ascii=False)),
    st.sampled_from(
        ["NaN", "[Infinity]", "-Infinity", '"\\ud800"', '["\\udfff", 1]', "1e400", "[1e308]", "-0",
         "123456789012345678901234567890", "18446744073709551615", "18446744073709551616",
         '{"a": 1, "a": 2}', "\ufeff{}", "[1,]", "{'a': 1}", "", "  7  ", '"\\u0000"', "[" * 2000]
    ),
    st.text(max_size=30),
)


def _outcome(read: Any, raw: bytes) -> tuple[str, Any]:
    try:
        return "document", read(raw)
    except ValueError:
        return "refused", None


def _same(a: Any, b: Any) -> bool:
    """Equal, with the same types throughout (1 is not 1.0 here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b or (a != a and b != b)


@settings(max_examples=400)
@given(_texts, st.sampled_from(["utf-8", "utf-16"]))
def test_the_fast_reading_answers_as_the_standard_library(text: str, encoding: str) -> None:
    raw = text.encode(encoding, errors="surrogatepass")
    fast, slow = _outcome(strictjson.loads, raw), _outcome(strictjson._loads_slowly, raw)
    assert fast[0] == slow[0]
    assert _same(fast[1], slow[1])


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (b"123456789012345678901234567890", 123456789012345678901234567890),
        (b'{"retryCount": 99999999999999999999}', 99999999999999999999),
    ],
)
def test_integers_beyond_64_bits_stay_integers(raw: bytes, number: int) -> None:
    document = strictjson.loads(raw)
    value = document["retryCount"] if isinstance(document, dict) else document
    assert type(value) is int and value == number
