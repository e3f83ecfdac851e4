"""Fuzzing one served OpenAPI document with schemathesis: valid and invalid cases of every
operation, drawn in rounds (a new seed each round) until a request count or a deadline.

Cases are drawn with hypothesis (`operation.as_strategy`) and sent with a plain
`requests` session to the served emulator's base URL, so every answer is
counted, whatever it is.
"""

from __future__ import annotations

import time
from typing import Any

import requests
import schemathesis
from schemathesis import GenerationMode

from benchmarks.fuzz_tally import Tally
from bitel_mock.verify.fuzz import draw_cases

CASES_PER_DRAW = 25
"""Cases drawn per operation, mode and round (hypothesis may find fewer distinct ones)."""
TIMEOUT_SECONDS = 10


def operations(document_url: str) -> list[Any]:
    schema = schemathesis.openapi.from_url(document_url)
    return [result.ok() for result in schema.get_all_operations()]


def draw(operation: Any, mode: GenerationMode, count: int, seed: int) -> list[Any]:
    # Some draws fail as a whole (no invalid case exists for an operation without inputs).
    try:
        return draw_cases(operation, mode, count, seed)
    except Exception:
        return []


def send(session: requests.Session, case: Any, base_url: str, headers: dict[str, str], tally: Tally) -> None:
    kwargs = case.as_transport_kwargs(base_url=base_url, headers=headers)
    what = f"{kwargs['method']} {case.operation.path}"
    try:
        answer = session.request(**kwargs, timeout=TIMEOUT_SECONDS, allow_redirects=False)
    except requests.RequestException:
        tally.count(what, None, None, b"")
        return
    tally.count(what, answer.status_code, answer.headers.get("Content-Type"), answer.content)


def fuzz_document(
    name: str,
    document_url: str,
    base_url: str,
    *,
    requests_wanted: int,
    deadline: float,
    headers: dict[str, str] | None = None,
) -> Tally:
    """Rounds over every operation, positive then negative cases, until `requests_wanted`
    requests were sent or `time.monotonic()` passes `deadline`."""
    tally = Tally(name)
    every = operations(document_url)
    seed = 0
    with requests.Session() as session:
        while tally.sent < requests_wanted and time.monotonic() < deadline:
            seed += 1
            for operation in every:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    for case in draw(operation, mode, CASES_PER_DRAW, seed):
                        if tally.sent >= requests_wanted or time.monotonic() >= deadline:
                            return tally
                        send(session, case, base_url, headers or {}, tally)
    return tally
