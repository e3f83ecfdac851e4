"""One record, one line: the filter that escapes control characters in the served log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.logtext import OneLinePerRecord, escape_controls, escape_handlers, indented_block


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO, io.StringIO]]:
    """A logger with two handlers (records are shared between them), both filtered."""
    logger = logging.getLogger("tests.security.logtext")
    first, second = io.StringIO(), io.StringIO()
    handlers = [logging.StreamHandler(first), logging.StreamHandler(second)]
    for handler in handlers:
        handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
        logger.addHandler(handler)
    escape_handlers(handlers)
    escape_handlers(handlers)  # once is enough: a second call adds nothing
    assert [len(h.filters) for h in handlers] == [1, 1]
    logger.propagate = False
    yield logger, first, second
    for handler in handlers:
        logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("GET /a\r\nb", "GET /a\\x0d\\x0ab"),
        ("tab\there", "tab\\x09here"),
        ("\x1b[2J", "\\x1b[2J"),
        ("nul\x00 del\x7f c1\x85", "nul\\x00 del\\x7f c1\\x85"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("plain /path?q=1 é ✓", "plain /path?q=1 é ✓"),
    ],
)
def test_control_characters_are_written_as_escapes(text: str, escaped: str) -> None:
    assert escape_controls(text) == escaped


@given(st.text())
def test_an_escaped_text_is_one_line_and_escaping_again_changes_nothing(text: str) -> None:
    escaped = escape_controls(text)
    assert len(escaped.splitlines()) <= 1
    assert escape_controls(escaped) == escaped


def test_a_message_with_cr_lf_in_its_arguments_is_one_line_on_every_handler(log) -> None:
    logger, first, second = log
    logger.error("unexpected error while handling %s %s", "GET", "/x\r\n[INFO] forged")
    for stream in (first, second):
        assert stream.getvalue() == "[ERROR] unexpected error while handling GET /x\\x0d\\x0a[INFO] forged\n"


def test_a_traceback_is_indented_under_its_record(log) -> None:
    logger, first, _ = log
    try:
        raise ValueError("bad\n[INFO] forged")
    except ValueError:
        logger.exception("failed on %s", "/p")
    lines = first.getvalue().splitlines()
    assert lines[0] == "[ERROR] failed on /p"
    assert all(line.startswith("    ") for line in lines[1:])
    assert lines[-2:] == ["    ValueError: bad", "    [INFO] forged"]


def test_indented_block_escapes_each_line() -> None:
    assert indented_block("a\rb\nc") == "    a\\x0db\n    c"


def test_the_filter_keeps_every_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s", ("a\nb",), None)
    assert OneLinePerRecord().filter(record) is True
    assert record.getMessage() == "a\\x0ab"
