"""`bitel-mock serve`'s master process opens the store, starts the clock and the workers: it never
loads Flask, the validators or the contracts (each worker does, after the fork), so two workers
and their master hold less memory."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("flask", "werkzeug", "jinja2", "jsonschema_rs", "yaml", "requests")

PROBE = """
import sys, tempfile
from bitel_mock import cli, serving, startup
from bitel_mock.domain.clock import StoreClock
store = cli.open_configured_store(cli.ServeOptions(store_url="sqlite:///" + tempfile.mkdtemp() + "/s.sqlite3"))
startup.clock_line(StoreClock(store, cli.Settings().clock))
print(",".join(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def test_the_master_loads_none_of_the_app_s_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_create_app_is_still_importable_from_the_package() -> None:
    from bitel_mock import create_app
    from bitel_mock.app import create_app as from_its_module

    assert create_app is from_its_module
