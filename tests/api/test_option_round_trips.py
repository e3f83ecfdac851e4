"""Every option of `bitel-mock serve`, from the command line and from its BITEL_MOCK_* variable
to behaviour: a non-default value is parsed by the CLI's own parser, the app is built from the
resulting settings, and the behaviour that option names is shown to follow the value.

Each row pins one option (its first flag); other flags in the row are context it needs (a
manual clock for webhooks). A row fails if its option is wired to any other field.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.cli import ENV_PREFIX, OPTIONS, build_parser, main, settings_from
from bitel_mock.domain.clock import FixedClock
from bitel_mock.domain.ids import IdCodec, key_from_seed
from bitel_mock.settings import Settings
from bitel_mock.store.memory import MemoryStore
from bitel_mock.store.sqlite import SqliteStore
from bitel_mock.store.url import open_store
from tests.conftest import AUTH, VOICE_ID
from tests.emulator_steps import BATCH, advance, deliveries, now, place, plan, post, status
from tests.projects.option_round_trips import PROJECT_OPTION_CHECKS
from tests.recording_sender import RecordingSender
from tests.sms.option_round_trips import SMS_OPTION_CHECKS

WALL = 1_650_000_000
"""The machine's time in these tests (a fixed wall clock under the emulator's clock)."""
HOOK = "http://127.0.0.1:9/hook"
MANUAL = ("--clock", "manual")


@dataclass
class Emulated:
    """An emulator built from parsed settings, over a fixed wall clock and a failing sender."""

    settings: Settings
    client: FlaskClient
    wall: FixedClock
    sender: RecordingSender


@dataclass
class Served:
    """What `bitel-mock serve` handed to granian (the app one worker builds)."""

    app: Flask
    address: tuple[str, int]
    workers: int
    threads: int
    given: dict[str, str]
    """The options given, by flag."""


@dataclass(frozen=True)
class RoundTrip:
    given: tuple[tuple[str, str], ...]
    """(flag, value) pairs; the first names the option this row pins."""
    check: Callable[[Any], None]
    served: bool = False
    """Checked on what `serve` runs (`Served`) rather than on an app (`Emulated`)."""

    @property
    def flag(self) -> str:
        return self.given[0][0]


def _final(emulated: Emulated, number: str = "09121234567", **fields: Any) -> dict[str, Any]:
    """Place one call, move past every documented moment, return its final record."""
    [record] = place(emulated.client, [number], **fields)
    advance(emulated.client, 86_400)
    return status(emulated.client, record["id"])


def _plan(emulated: Emulated, number: str) -> dict[str, Any]:
    [record] = place(emulated.client, [number])
    return plan(emulated.client, record["id"]) | {"requestDate": record["requestDate"]}


def _starts(found: dict[str, Any]) -> list[tuple[int, int]]:
    """Each attempt's start and end, from the request date."""
    base = found["requestDate"]
    return [(a["start"] - base, a["end"] - base) for a in found["attempts"]]


# --- Checks on an app, one per behaviour option -----------------------------------------


def seed_5(e: Emulated) -> None:
    [record] = place(e.client, ["09121234567"])
    assert IdCodec(key_from_seed(5)).decode(record["id"]) is not None
    assert IdCodec(key_from_seed(6)).decode(record["id"]) is None
    assert e.client.get("/__admin/health").get_json()["seed"] == 5


def server_ids_a_and_b(e: Emulated) -> None:
    for server_id in ("dialer-a", "dialer-b"):
        place(e.client, ["09121234567"], serverId=server_id)
    refused = post(
        e.client,
        BATCH,
        {"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID, "serverId": "mirdamad1"},
    )
    assert (refused.status_code, refused.get_json()["error"]) == (400, "InvalidServer")


def token_good(e: Emulated) -> None:
    place(e.client, ["09121234567"], headers={"Authorization": "Bearer good"})
    refused = post(e.client, BATCH, {"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID})
    assert (refused.status_code, refused.get_json()["error"]) == (401, "Unauthorized")


def number_forms_plus98_and_persian(e: Emulated) -> None:
    place(e.client, ["+989121234567", "۰۹۱۲۱۲۳۴۵۶۷", "+۹۸۹۱۲۱۲۳۴۵۶۷"])
    refused = post(e.client, BATCH, {"phoneNumbers": ["989121234567"], "voiceId": VOICE_ID})
    assert (refused.status_code, refused.get_json()["error"]) == (400, "InvalidRequest")


def invalid_phone_number(e: Emulated) -> None:
    refused = post(e.client, BATCH, {"phoneNumbers": ["12345"], "voiceId": VOICE_ID})
    assert (refused.status_code, refused.get_json()) == (
        400,
        {"result": None, "error": "InvalidPhoneNumber"},
    )


def max_body_2048(e: Emulated) -> None:
    def body(size: int) -> bytes:
        prefix = (
            b'{"phoneNumbers": ["09121234567"], "voiceId": "' + VOICE_ID.encode() + b'", "p": "'
        )
        return prefix + b"x" * (size - len(prefix) - 2) + b'"}'

    answers = [
        e.client.post(BATCH, data=body(size), headers=AUTH, content_type="application/json")
        for size in (2048, 2049)
    ]
    assert [a.status_code for a in answers] == [200, 413]


def manual_clock(e: Emulated) -> None:
    assert now(e.client) == {"now": WALL, "mode": "manual"}
    e.wall.set(WALL + 1000)
    assert now(e.client)["now"] == WALL  # a real clock would follow the wall
    [record] = place(e.client, ["09121234567"])
    assert record["requestDate"] == WALL


def start_time_1700000000(e: Emulated) -> None:
    assert now(e.client) == {"now": 1_700_000_000, "mode": "manual"}
    [record] = place(e.client, ["09121234567"])
    assert record["requestDate"] == 1_700_000_000


def outcomes_no_answer(e: Emulated) -> None:
    assert _final(e)["status"] == "NO_ANSWER"


def queue_11(e: Emulated) -> None:
    assert _starts(_plan(e, "09121234567")) == [(11, 11 + 5 + 20)]


def ring_7(e: Emulated) -> None:
    assert _starts(_plan(e, "09121234567")) == [(3, 3 + 7 + 20)]


def no_answer_9(e: Emulated) -> None:
    assert _starts(_plan(e, "09990000002")) == [(3, 12), (72, 81)]


def talk_13(e: Emulated) -> None:
    final = _final(e)
    assert (final["billSec"], final["price"]) == (13, -37.05)


def retry_interval_7(e: Emulated) -> None:
    assert _starts(_plan(e, "09990000002")) == [(3, 33), (40, 70)]


def time_to_live_100(e: Emulated) -> None:
    found = _plan(e, "09990000002")  # the second attempt would end at 123
    assert (_starts(found), found["status"], found["finalAt"] - found["requestDate"]) == (
        [(3, 33)],
        "EXPIRED",
        100,
    )
    expired = _plan(e, "09990000010")
    assert (expired["status"], expired["finalAt"] - expired["requestDate"]) == ("EXPIRED", 100)


def tariff_3(e: Emulated) -> None:
    assert _final(e)["price"] == -60.0


def journal_2(e: Emulated) -> None:
    for n in range(3):
        e.client.get(f"/missing/{n}")
    page = e.client.get("/__admin/requests").get_json()
    assert [entry["path"] for entry in page["requests"]] == ["/missing/2", "/missing/1"]


def rate_limit_1_burst_2(e: Emulated) -> None:
    body = {"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID}
    answers = [post(e.client, BATCH, body).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    e.wall.set(e.wall.now() + 1)  # one request a real second refills (not the emulator's clock)
    assert [post(e.client, BATCH, body).status_code for _ in range(2)] == [200, 429]


def max_waiting_2(e: Emulated) -> None:
    place(e.client, ["09121234567", "09121234567"])
    refused = post(e.client, BATCH, {"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID})
    assert (refused.status_code, refused.get_json()["error"]) == (429, "TooManyRequests")
    advance(e.client, 28)  # both calls final: none WAITING
    place(e.client, ["09121234567", "09121234567"])


def admin_token_s3cret(e: Emulated) -> None:
    assert e.client.get("/__admin/calls").status_code == 401
    assert e.client.get("/__admin/calls", headers={"X-Admin-Token": "wrong"}).status_code == 401
    assert e.client.get("/__admin/calls", headers={"X-Admin-Token": "s3cret"}).status_code == 200


def allowed_host_bitel_test(e: Emulated) -> None:
    def answer(host: str) -> int:
        return e.client.get("/__admin/health", headers={"Host": host}).status_code

    assert (answer("bitel.test"), answer("other.test")) == (200, 421)


def webhook_url_hook(e: Emulated) -> None:
    _final(e)
    assert e.sender.urls()[0] == HOOK


def token_webhook_good(e: Emulated) -> None:
    place(e.client, ["09121234567"], headers={"Authorization": "Bearer good"})
    place(e.client, ["09121234567"], headers={"Authorization": "Bearer other"})
    advance(e.client, 86_400)
    assert set(e.sender.urls()) == {"http://127.0.0.1:9/good"}


def webhook_timeout_1_5(e: Emulated) -> None:
    _final(e)
    assert {sent.timeout for sent in e.sender.sent} == {1.5}


def webhook_retries_1(e: Emulated) -> None:
    _final(e)
    advance(e.client, 86_400)
    assert [d["outcome"] for d in deliveries(e.client)] == ["retrying", "failed"]


def webhook_backoff_7(e: Emulated) -> None:
    _final(e)
    advance(e.client, 86_400)
    first, second = deliveries(e.client)[:2]
    assert first["nextAttemptAt"] - first["at"] == 7
    assert second["nextAttemptAt"] - second["at"] == 14


def webhook_balance_negative(e: Emulated) -> None:
    _final(e)
    assert e.sender.sent[0].body["balanceSubtracted"] == -57.0


def webhook_hosts_localhost(e: Emulated) -> None:
    def configure(url: str) -> int:
        return e.client.post("/__admin/webhooks/config", json={"url": url}).status_code

    assert configure("http://127.0.0.1:9/hook") == 400
    assert configure("http://localhost:9/hook") == 200


# --- Checks on what `serve` runs ---------------------------------------------------------


def listens_on_127_0_0_2(s: Served) -> None:
    assert s.address[0] == "127.0.0.2"


def listens_on_the_free_port(s: Served) -> None:
    assert s.address == ("127.0.0.1", int(s.given["--port"]))


def keeps_calls_in_the_named_file(s: Served) -> None:
    [record] = place(s.app.test_client(), ["09121234567"])
    reopened = create_app(Settings(), store=open_store(s.given["--store"])).test_client()
    assert status(reopened, record["id"])["id"] == record["id"]
    assert isinstance(s.app.extensions["bitel_mock"].store, SqliteStore)


def three_workers(s: Served) -> None:
    assert s.workers == 3


def nine_threads(s: Served) -> None:
    assert (s.threads, s.workers) == (9, 2)


ROUND_TRIPS: tuple[RoundTrip, ...] = (
    RoundTrip(
        (("--host", "127.0.0.2"), ("--port", "0"), ("--store", "memory")),
        listens_on_127_0_0_2,
        served=True,
    ),
    RoundTrip(
        (("--port", "{free_port}"), ("--store", "memory")), listens_on_the_free_port, served=True
    ),
    RoundTrip(
        (("--store", "sqlite:///{tmp}/calls.sqlite3"), ("--port", "0")),
        keeps_calls_in_the_named_file,
        served=True,
    ),
    RoundTrip(
        (("--workers", "3"), ("--store", "sqlite:///{tmp}/w.sqlite3"), ("--port", "0")),
        three_workers,
        served=True,
    ),
    RoundTrip(
        (("--threads", "9"), ("--store", "sqlite:///{tmp}/t.sqlite3"), ("--port", "0")),
        nine_threads,
        served=True,
    ),
    RoundTrip((("--seed", "5"),), seed_5),
    RoundTrip((("--server-id", "dialer-a"), ("--server-id", "dialer-b")), server_ids_a_and_b),
    RoundTrip((("--token", "good"),), token_good),
    RoundTrip(
        (("--number-form", "plus98"), ("--number-form", "persian-digits")),
        number_forms_plus98_and_persian,
    ),
    RoundTrip((("--invalid-number-error", "InvalidPhoneNumber"),), invalid_phone_number),
    RoundTrip((("--max-body-bytes", "2048"),), max_body_2048),
    RoundTrip((MANUAL,), manual_clock),
    RoundTrip((("--start-time", "1700000000"), MANUAL), start_time_1700000000),
    RoundTrip((("--outcomes", "NO_ANSWER=1"),), outcomes_no_answer),
    RoundTrip((("--queue-seconds", "11"),), queue_11),
    RoundTrip((("--ring-seconds", "7"),), ring_7),
    RoundTrip((("--no-answer-seconds", "9"),), no_answer_9),
    RoundTrip((("--talk-seconds", "13"),), talk_13),
    RoundTrip((("--retry-interval", "7"),), retry_interval_7),
    RoundTrip((("--time-to-live", "100"),), time_to_live_100),
    RoundTrip((("--tariff", "3"),), tariff_3),
    RoundTrip((("--journal-size", "2"),), journal_2),
    RoundTrip((("--rate-limit", "1/2"),), rate_limit_1_burst_2),
    RoundTrip((("--max-waiting", "2"),), max_waiting_2),
    RoundTrip((("--admin-token", "s3cret"),), admin_token_s3cret),
    RoundTrip((("--allowed-host", "bitel.test"),), allowed_host_bitel_test),
    RoundTrip((("--webhook-url", HOOK), MANUAL), webhook_url_hook),
    RoundTrip((("--token-webhook", "good=http://127.0.0.1:9/good"), MANUAL), token_webhook_good),
    RoundTrip((("--webhook-timeout", "1.5"), ("--webhook-url", HOOK), MANUAL), webhook_timeout_1_5),
    RoundTrip((("--webhook-retries", "1"), ("--webhook-url", HOOK), MANUAL), webhook_retries_1),
    RoundTrip((("--webhook-backoff", "7"), ("--webhook-url", HOOK), MANUAL), webhook_backoff_7),
    RoundTrip(
        (("--webhook-balance", "negative"), ("--webhook-url", HOOK), MANUAL),
        webhook_balance_negative,
    ),
    RoundTrip(
        (("--webhook-allow-host", "localhost"), ("--webhook-allow-host", "example.org")),
        webhook_hosts_localhost,
    ),
    *(RoundTrip(given, check) for given, check in SMS_OPTION_CHECKS),
    *(RoundTrip(given, check) for given, check in PROJECT_OPTION_CHECKS),
)
_OPTION_BY_FLAG = {option.flag: option for option in OPTIONS}


def test_every_option_has_a_round_trip() -> None:
    pinned = [trip.flag for trip in ROUND_TRIPS]
    assert len(pinned) == len(set(pinned))
    assert set(pinned) == {option.flag for option in OPTIONS}


@pytest.fixture(autouse=True)
def _no_configuration_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _filled(trip: RoundTrip, tmp_path: Path) -> list[tuple[str, str]]:
    """The row's options, with `{tmp}` and `{free_port}` filled in."""
    port = _free_port()
    return [(flag, value.format(tmp=tmp_path, free_port=port)) for flag, value in trip.given]


def _as_argv(given: list[tuple[str, str]]) -> list[str]:
    return [part for pair in given for part in pair]


def _as_environment(given: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    values: dict[str, list[str]] = {}
    for flag, value in given:
        values.setdefault(_OPTION_BY_FLAG[flag].env, []).append(value)
    for name, listed in values.items():
        monkeypatch.setenv(name, ",".join(listed))


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Flask, socket.socket, int, int]]]:
    """What `serve` hands to granian, instead of running it: the app a worker builds."""
    handed: list[tuple[Flask, socket.socket, int, int]] = []
    monkeypatch.setattr(
        "bitel_mock.serving.run_granian",
        lambda load_app, listener, *, workers, threads, announce: handed.append(
            (load_app(), listener, workers, threads)
        ),
    )
    yield handed
    for _, listener, _, _ in handed:
        listener.close()


def _run(trip: RoundTrip, given: list[tuple[str, str]], argv: list[str], handed: list[Any]) -> None:
    """Parse `argv` (the environment is already set), build, and check."""
    if trip.served:
        assert main(["serve", *argv]) == 0
        [(app, listener, workers, threads)] = handed
        trip.check(Served(app, listener.getsockname()[:2], workers, threads, dict(given)))
        return
    settings = settings_from(build_parser().parse_args(["serve", *argv]))
    wall = FixedClock(WALL)
    sender = RecordingSender(failing=True)
    app = create_app(settings, store=MemoryStore(), clock=wall, sender=sender)
    try:
        trip.check(Emulated(settings, app.test_client(), wall, sender))
    finally:
        app.extensions["bitel_mock"].close()


@pytest.mark.parametrize("trip", ROUND_TRIPS, ids=[trip.flag for trip in ROUND_TRIPS])
def test_the_option_on_the_command_line_changes_the_behaviour(
    trip: RoundTrip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list[Any]
) -> None:
    given = _filled(trip, tmp_path)
    _run(trip, given, _as_argv(given), served)


@pytest.mark.parametrize("trip", ROUND_TRIPS, ids=[trip.flag for trip in ROUND_TRIPS])
def test_the_option_in_the_environment_changes_the_behaviour(
    trip: RoundTrip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list[Any]
) -> None:
    given = _filled(trip, tmp_path)
    _as_environment(given, monkeypatch)
    _run(trip, given, [], served)
