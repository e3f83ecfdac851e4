"""Run-time patterns on RE2: refused when RE2 cannot run them, linear time otherwise, and the
same answers as Python's `re` for the patterns people write for numbers and paths."""

from __future__ import annotations

import logging
import re
import time
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain import patterns
from bitel_mock.domain.patterns import (
    MAX_MEMORY_BYTES,
    MAX_PATTERN_LENGTH,
    PatternError,
    compile_pattern,
    stored,
)

# Measured with Python's re: this one kept two workers busy 30.7 s on one 11-digit number.
NESTED = r"(\d?\d?)*(\d?\d?)*(\d?\d?)*(\d?\d?)*(\d?\d?)*(\d?\d?)*x"
NESTED_ENDING_7 = NESTED[:-1] + "7$"
# And this one doubled its time with every 2 characters of path.
NESTED_PATH = "/api/(a+)+/x"
FAST_SECONDS = 0.5
"""Far above RE2's time on these inputs (~0.1 ms), far below Python's (minutes)."""


def test_the_documented_limits() -> None:
    assert MAX_PATTERN_LENGTH == 500
    assert MAX_MEMORY_BYTES == 1024 * 1024


def test_a_pattern_of_the_maximum_length_is_accepted_one_more_is_refused() -> None:
    compile_pattern("0" * MAX_PATTERN_LENGTH)
    with pytest.raises(PatternError, match="at most 500 characters"):
        compile_pattern("0" * (MAX_PATTERN_LENGTH + 1))


def test_a_pattern_needing_more_than_the_memory_budget_is_refused() -> None:
    # \pL{300} compiles within RE2's own default (8 MiB), not within 1 MiB.
    with pytest.raises(PatternError, match="too large"):
        compile_pattern(r"\pL{300}")
    compile_pattern(r"\d{300}")


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?=0935)", "lookahead is not supported"),
        ("(?!0935)", "negative lookahead is not supported"),
        ("(?<=09)35", "lookbehind"),
        (r"(\d)\1", "backreferences are not supported"),
        (r"0935\Z", r"\z, or $"),
        ("0{,2}935", "write {0,n}"),
        ("0{1001}", "at most 1000"),
        ("(0935", "missing )"),
        ("(?x) 09 35", "invalid perl operator"),
    ],
)
def test_what_re2_cannot_run_is_refused_saying_why(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError, match=re.escape(reason)) as refused:
        compile_pattern(pattern)
    assert repr(pattern) in str(refused.value)


@pytest.mark.parametrize("pattern", ["[{,2}]", r"\{,2}", "0{0,2}", "0{2,}", "[]{,2}]"])
def test_braces_that_mean_the_same_in_both_engines_are_accepted(pattern: str) -> None:
    compile_pattern(pattern)


def test_nested_quantifiers_run_in_linear_time_with_the_right_answer() -> None:
    started = time.perf_counter()
    nested = compile_pattern(NESTED)
    assert not nested.search("09121234567")
    assert not nested.search("0" * 10_000)
    assert nested.search("0" * 10_000 + "x")
    ending_7 = compile_pattern(NESTED_ENDING_7)
    assert ending_7.search("09121234567")
    assert not ending_7.search("09121234560")
    path = compile_pattern(NESTED_PATH)
    assert not path.fullmatch("/api/" + "a" * 10_000 + "/y")
    assert path.fullmatch("/api/" + "a" * 10_000 + "/x")
    assert not path.fullmatch("/api/aa/x/more")
    assert time.perf_counter() - started < FAST_SECONDS


def test_search_looks_anywhere_fullmatch_needs_all() -> None:
    pattern = compile_pattern("35")
    assert pattern.search("09351234567") and not pattern.fullmatch("09351234567")
    assert compile_pattern("0935.*").fullmatch("09351234567")


def test_a_pattern_stored_before_re2_loads_matches_nothing_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    legacy = f"(?=09)(?#{uuid.uuid4().hex})"  # unique: the warning is logged once per text
    with caplog.at_level(logging.WARNING, logger=patterns.logger.name):
        assert stored(legacy) is None
        assert stored(legacy) is None
    assert [record.getMessage() for record in caplog.records].count(
        f"a stored pattern is ignored (it matches nothing): {compile_error(legacy)}"
    ) == 1


def compile_error(text: str) -> str:
    with pytest.raises(PatternError) as refused:
        compile_pattern(text)
    return str(refused.value)


def test_a_stored_pattern_re2_runs_is_the_compiled_one() -> None:
    assert stored("^0935") is compile_pattern("^0935")


def test_a_stored_text_no_version_accepted_still_raises() -> None:
    with pytest.raises(PatternError):
        stored("(")


# --- The same answers as Python's re, on patterns for numbers and paths ------------------

_ATOMS = st.sampled_from(
    ["0", "9", "3", "5", "a", "/", ".", r"\d", r"\D", "[0-9]", "[1-3]", "[^5]", "[a/]", r"\w"]
)
_QUANTIFIERS = st.sampled_from(["", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?"])


def _expressions() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        group = st.builds(lambda body, capture: f"({'' if capture else '?:'}{body})", inner, st.booleans())
        alternation = st.lists(inner, min_size=2, max_size=3).map("|".join)
        return st.one_of(group, alternation)

    pieces = st.builds(lambda atom, quantifier: atom + quantifier, _ATOMS, _QUANTIFIERS)
    concatenations = st.lists(pieces, min_size=1, max_size=4).map("".join)
    grouped = st.recursive(concatenations, extend, max_leaves=6)
    # Python's re (the oracle) backtracks exponentially on nested quantifiers: a quantified
    # group holds plain atoms only, so the oracle answers at once whatever is drawn.
    plain = st.lists(_ATOMS, min_size=1, max_size=3).map("".join)
    quantified = st.builds(lambda body, quantifier: f"(?:{body}){quantifier}", plain, _QUANTIFIERS)
    return st.lists(st.one_of(grouped, quantified), min_size=1, max_size=3).map("".join)


_PATTERNS = st.builds(
    lambda start, body, end: start + body + end,
    st.sampled_from(["", "^"]),
    _expressions(),
    st.sampled_from(["", "$"]),
)
_SUBJECTS = st.one_of(
    st.text(alphabet="0123456789/a", max_size=10),
    st.from_regex(r"09[0-9]{9}", fullmatch=True),
    st.from_regex(r"/api/v2/voice/[a-z]{1,6}(/[0-9a-f]{1,8})?", fullmatch=True),
)


@given(pattern=_PATTERNS, subjects=st.lists(_SUBJECTS, min_size=1, max_size=5))
def test_re2_and_python_agree_on_simple_patterns(pattern: str, subjects: list[str]) -> None:
    compiled = compile_pattern(pattern)
    for subject in subjects:
        assert compiled.search(subject) == (re.search(pattern, subject) is not None), subject
        assert compiled.fullmatch(subject) == (re.fullmatch(pattern, subject) is not None), subject
