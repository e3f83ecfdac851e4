"""Regular expressions given at run time (scenario patterns, fault paths), run on RE2.

Python's `re` backtracks: one pattern such as `(\\d?\\d?)*x` can keep a worker
busy for minutes on one short input. RE2 matches in time linear in the input
and refuses, when the pattern is given, what it cannot run that way
(backreferences, lookaround). So a pattern is checked once, where it is
configured (`compile_pattern`, which raises PatternError saying why), and
every request then costs microseconds whatever was configured.

A pattern stored before patterns ran on RE2 may be one RE2 refuses;
`stored` keeps such a pattern readable but never matching, with one log
line, so loading it never fails a request.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

import re2
from re2 import _re2

MAX_PATTERN_LENGTH = 500
"""Characters a pattern may have (the control plane's schemas say the same)."""
MAX_MEMORY_BYTES = 1 << 20
"""RE2's memory budget for one compiled pattern; a larger pattern is refused."""
_CACHE_SIZE = 256

logger = logging.getLogger("bitel_mock.patterns")

# The binding's own RE2 object: `re2.compile(...).search` costs ~10 us a call in Python
# glue (offsets converted back to str); the object's Match costs ~1 us, and only a yes or
# no is needed here.
_ANCHOR = _re2.RE2.Anchor


class PatternError(ValueError):
    """A pattern this emulator will not run; the message says why."""


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # the reason is raised, not printed to stderr
    options.never_capture = True  # only whether it matches is asked
    options.max_mem = MAX_MEMORY_BYTES
    return options


_OPTIONS = _options()

_HINTS = (
    ("invalid perl operator: (?<", "lookbehind and named groups as (?<name>) are not supported"),
    ("invalid perl operator: (?=", "lookahead is not supported"),
    ("invalid perl operator: (?!", "negative lookahead is not supported"),
    ("invalid escape sequence: \\Z", "RE2 spells the end of the text \\z, or $"),
    ("invalid repetition size", "a repetition count is at most 1000, nested ones included"),
    ("pattern too large", "compiled, it needs more than 1 MiB: simplify it"),
)


def _reason(error: str) -> str:
    for start, hint in _HINTS:
        if error.startswith(start):
            return f"{error} ({hint})"
    if re.match(r"invalid escape sequence: \\[1-9]", error):
        return f"{error} (backreferences are not supported)"
    return error


def _python_only_syntax(text: str) -> str | None:
    """What RE2 would read differently from Python without refusing it, if anything."""
    position, in_class = 0, False
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if text.startswith("]", position + 1) or text.startswith("^]", position + 1):
                position += 1 + text.startswith("^", position + 1)  # a leading ] is literal
        elif char == "{" and re.match(r"\{,\d+\}", text[position:]):
            return "{,n} is literal text in RE2: write {0,n}"
        position += 1
    return None


@dataclass(frozen=True, slots=True, eq=False)
class BoundedPattern:
    """A compiled pattern: matching costs time linear in the text, whatever the pattern."""

    text: str
    _regexp: _re2.RE2

    def search(self, subject: str) -> bool:
        """True if the pattern matches somewhere in `subject` (as `re.search`)."""
        return self._match(_ANCHOR.UNANCHORED, subject)

    def fullmatch(self, subject: str) -> bool:
        """True if the pattern matches all of `subject` (as `re.fullmatch`)."""
        return self._match(_ANCHOR.ANCHOR_BOTH, subject)

    def _match(self, anchor: _re2.RE2.Anchor, subject: str) -> bool:
        data = subject.encode("utf-8", "surrogatepass")
        return self._regexp.Match(anchor, data, 0, len(data))[0][0] != -1


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _compiled(text: str) -> BoundedPattern | PatternError:
    # Errors are cached too: a stored pattern RE2 refuses is not recompiled per request.
    if len(text) > MAX_PATTERN_LENGTH:
        return PatternError(f"a pattern has at most {MAX_PATTERN_LENGTH} characters")
    regexp = _re2.RE2(text.encode("utf-8", "surrogatepass"), _OPTIONS)
    if not regexp.ok():
        reason = _reason(regexp.error().decode("utf-8", "replace"))
        return PatternError(f"pattern {text!r} is refused: {reason}; patterns use RE2 syntax")
    python_only = _python_only_syntax(text)
    if python_only is not None:
        return PatternError(f"pattern {text!r} is refused: {python_only}")
    return BoundedPattern(text, regexp)


def compile_pattern(text: str) -> BoundedPattern:
    """`text` compiled for matching in linear time, or PatternError saying why not."""
    compiled = _compiled(text)
    if isinstance(compiled, PatternError):
        raise compiled
    return compiled


@functools.lru_cache(maxsize=_CACHE_SIZE)
def stored(text: str) -> BoundedPattern | None:
    """A pattern read back from a store: compiled, or None (logged once) for one kept from
    before patterns ran on RE2 that RE2 refuses; it then matches nothing.

    Raises PatternError for text no version would have accepted.
    """
    compiled = _compiled(text)
    if not isinstance(compiled, PatternError):
        return compiled
    try:
        re.compile(text)
    except (re.error, RecursionError, OverflowError):
        raise compiled from None
    logger.warning("a stored pattern is ignored (it matches nothing): %s", compiled)
    return None
