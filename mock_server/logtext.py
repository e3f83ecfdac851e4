"""What the served emulator writes to its log: one line per record, whatever a client sent.

A path, header or body quoted in a log message may carry CR, LF or terminal
escapes (`%0d%0a` decodes to them). Written as they are, they would start a
line that looks like a record of its own. `OneLinePerRecord`, a filter on
the log's handlers, escapes every control character of a record's message
(`\\r` becomes `\\x0d`) and indents the lines of its traceback, so every line
at the left margin is a record the emulator wrote.
"""

from __future__ import annotations

import logging
import re

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""C0 and C1 control characters, DEL, and the Unicode line and paragraph separators."""
TRACEBACK_INDENT = "    "
_ESCAPED = "bitel_mock_escaped"
"""Set on a record once escaped, as handlers share records."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control character written as `\\xNN` (or `\\uNNNN`): one line."""
    return _CONTROLS.sub(_escape, text)


def indented_block(text: str) -> str:
    """A multi-line block (a traceback) with each line escaped and indented."""
    return "\n".join(TRACEBACK_INDENT + escape_controls(line) for line in text.split("\n"))


class OneLinePerRecord(logging.Filter):
    """A handler filter that makes a record's message one line and indents its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _ESCAPED, False):
            return True
        record.msg = escape_controls(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = indented_block(record.exc_text)
        if record.stack_info:
            record.stack_info = indented_block(record.stack_info)
        setattr(record, _ESCAPED, True)
        return True


def escape_handlers(handlers: list[logging.Handler]) -> None:
    """Give each handler the filter (once)."""
    for handler in handlers:
        if not any(isinstance(f, OneLinePerRecord) for f in handler.filters):
            handler.addFilter(OneLinePerRecord())
