"""A 429 with a short Retry-After is waited out, except where a resend could place a call twice."""

from __future__ import annotations

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.transport import in_process_session
from bitel_mock.verify.runner import Options, run
from tests.verify.broken import RateLimited
from tests.verify.helpers import BASE, failed_checks


def test_safe_probes_wait_out_a_rate_limit_and_pass() -> None:
    refused_once: set[tuple[str, str]] = set()

    def first_of_each_path(method: str, path: str, body: bytes) -> bool:
        fresh = (method, path) not in refused_once
        refused_once.add((method, path))
        return fresh

    server = RateLimited(create_app(), first_of_each_path)
    waits: list[float] = []
    report = run(
        Options(base_url=BASE, token="t", max_examples=0),
        session=in_process_session(server),
        sleep=waits.append,
    )
    assert report.passed, [f.to_json() for f in report.findings]
    assert len(server.refused) == len(waits) > 5 and set(waits) == {2.0}


def test_a_request_that_may_place_calls_is_never_sent_again_after_a_429() -> None:
    def dialable(method: str, path: str, body: bytes) -> bool:
        return b"0999000" in body  # only the full profile's calls carry a magic number

    server = RateLimited(create_app(Settings(clock="manual", start_time=1_700_000_000)), dialable)
    report = run(
        Options(base_url=BASE, token="t", profile="full", max_examples=0),
        session=in_process_session(server),
        sleep=lambda seconds: None,
    )
    paths = [path for _, path, _ in server.refused]
    assert sorted(paths) == sorted(
        [
            "/api/v2/voice/single",  # the InvalidServer probe
            "/api/v2/voice/batch",
            "/api/v2/voice/batch/tts",
            "/api/v2/voice/single",
            "/api/v2/voice/single/tts",
            "/api/v2/voice/otp",
        ]
    )
    assert {
        "full/place-batch/status",
        "full/place-otp/status",
        "full/invalid-server/status",
    } <= failed_checks(report)
