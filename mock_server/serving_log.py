"""The served emulator's log: what granian and the emulator write, one line per record.

granian configures logging from a `logging.config.dictConfig` dictionary in its
master and in each worker; `log_config()` is that dictionary. Every record goes
to standard error as `[2026-01-31 12:00:00 +0000] [PID] [LEVEL] message`, through
`OneLinePerRecord` (`bitel_mock.logtext`), so a client's CR LF or terminal escape
never starts a line of its own. granian's records (`_granian`, its Rust side
included) and the emulator's (`bitel_mock`) share the handler; access lines are off.
"""

from __future__ import annotations

import logging
from typing import Any

from bitel_mock.logtext import OneLinePerRecord

APP_LOGGER = "bitel_mock"
SERVER_LOGGER = "_granian"
ACCESS_LOGGER = "granian.access"
RECORD_FORMAT = "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"
DATE_FORMAT = "[%Y-%m-%d %H:%M:%S %z]"
LEVEL = "WARNING"

DROPPED_ADVICE = ("Configuration allows spawning up to",)
"""granian's start-up advice to use fewer threads: the thread count is chosen (`serving`)."""


class WithoutAdvice(logging.Filter):
    """Drops granian's tuning advice, which names a choice made on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DROPPED_ADVICE)


def log_config() -> dict[str, Any]:
    """The dictConfig granian applies in the master and in every worker."""
    handler = ["stderr"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "one_line": {"()": OneLinePerRecord},
            "without_advice": {"()": WithoutAdvice},
        },
        "formatters": {"record": {"format": RECORD_FORMAT, "datefmt": DATE_FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "record",
                "filters": ["without_advice", "one_line"],
            }
        },
        "loggers": {
            SERVER_LOGGER: {"handlers": handler, "level": LEVEL, "propagate": False},
            ACCESS_LOGGER: {"handlers": handler, "level": LEVEL, "propagate": False},
            APP_LOGGER: {"handlers": handler, "level": LEVEL, "propagate": False},
        },
    }
