"""Running verify against in-process servers."""

from __future__ import annotations

from typing import Any

import requests

from bitel_mock.transport import in_process_session
from bitel_mock.verify.model import Report
from bitel_mock.verify.runner import Options, run

BASE = "http://bitel.test"
FAST = 3
"""Generated cases per operation in these tests: enough to run each path, small to stay fast."""


def verify(app: Any, **options: Any) -> Report:
    """Run verify against a WSGI app, in-process."""
    options.setdefault("max_examples", FAST)
    options.setdefault("seed", 1)
    return run(Options(base_url=BASE, token="t", **options), session=in_process_session(app))


def failed_checks(report: Report) -> set[str]:
    return {finding.check for finding in report.findings}


class NoNetwork(requests.Session):
    """A session that fails the test if anything is sent."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"verify sent a request: {args}")
