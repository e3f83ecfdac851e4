"""How `serve` configures granian: its limits and process model, and its log one line per record."""

from __future__ import annotations

import importlib.util
import io
import logging
import logging.config
from collections.abc import Iterator

import pytest
from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels

from bitel_mock import serving_log
from bitel_mock.serving import (
    BACKLOG,
    GRACEFUL_TIMEOUT_SECONDS,
    HEAD_BUFFER_BYTES,
    PROCESS_NAME,
    granian_options,
)


def test_granian_options() -> None:
    options = granian_options(workers=3, threads=7, host="127.0.0.1", port=8080)
    assert (options["address"], options["port"], options["workers"]) == ("127.0.0.1", 8080, 3)
    assert options["interface"] is Interfaces.WSGI
    assert options["http"] is HTTPModes.http1 and options["websockets"] is False
    assert options["blocking_threads"] == 7
    assert options["backlog"] == BACKLOG == 1024
    assert options["http1_settings"].max_buffer_size == HEAD_BUFFER_BYTES == 73_728
    assert options["workers_kill_timeout"] == GRACEFUL_TIMEOUT_SECONDS == 30
    assert options["respawn_failed_workers"] is True
    assert (options["log_level"], options["log_access"]) == (LogLevels.warning, False)
    named = importlib.util.find_spec("setproctitle") is not None  # granian needs it to name
    assert options["process_name"] == ("bitel-mock" if named else None) and PROCESS_NAME == "bitel-mock"


@pytest.fixture
def configured() -> Iterator[io.StringIO]:
    """The served log configuration applied here, writing to a buffer; undone after."""
    loggers = [
        logging.getLogger(name)
        for name in (serving_log.APP_LOGGER, serving_log.SERVER_LOGGER, serving_log.ACCESS_LOGGER)
    ]
    kept = [(log, log.handlers[:], log.level, log.propagate) for log in loggers]
    config = serving_log.log_config()
    config["handlers"]["stderr"]["stream"] = stream = io.StringIO()
    logging.config.dictConfig(config)
    yield stream
    for log, handlers, level, propagate in kept:
        log.handlers[:] = handlers
        log.setLevel(level)
        log.propagate = propagate


def test_every_record_is_one_line_in_the_record_format(configured: io.StringIO) -> None:
    logging.getLogger("bitel_mock.http").error(
        "unexpected error while handling GET /x\r\n[forged] line"
    )
    logging.getLogger("_granian.wsgi").warning("from granian\x1b[2J")
    lines = configured.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        "[ERROR] unexpected error while handling GET /x\\x0d\\x0a[forged] line"
    )
    assert lines[1].endswith("[WARNING] from granian\\x1b[2J")
    assert all(line.startswith("[") and "] [" in line for line in lines)


def test_info_is_not_logged_and_the_thread_advice_is_dropped(configured: io.StringIO) -> None:
    logging.getLogger("_granian").info("Spawning worker-1")
    logging.getLogger("bitel_mock").info("a detail")
    logging.getLogger("_granian").warning(
        "Configuration allows spawning up to 16 Python threads, ..."
    )
    assert configured.getvalue() == ""
    logging.getLogger("_granian").warning("Killing worker-1 after it refused to gracefully stop")
    assert "Killing worker-1" in configured.getvalue()
