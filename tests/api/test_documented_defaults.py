"""Every documented default, named by its value and shown in behaviour (docs/emulated-api.md
"A call's life", docs/settings.md, docs/webhooks.md and docs/fidelity.md). Time moves through
the admin API only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.domain.clock import FixedClock
from bitel_mock.settings import Settings
from bitel_mock.store.memory import MemoryStore
from bitel_mock.store.sqlite import SqliteStore
from bitel_mock.webhooks.model import Delivery, DeliveryKind, DeliveryOutcome
from tests.conftest import AUTH, VOICE_ID
from tests.emulator_steps import (
    BATCH,
    admin_call,
    advance,
    deliveries,
    now,
    place,
    plan,
    post,
    status,
)
from tests.recording_sender import RecordingSender

START = 1_700_000_000
QUEUE, RING, NO_ANSWER_RING, TALK, RETRY_INTERVAL, TTL, TARIFF = 3, 5, 30, 20, 60, 14_400, 2.85
FAIL = 1
"""A busy signal, an ERROR or an UNKNOWN ends this long after dialling."""


@pytest.fixture
def manual() -> FlaskClient:
    """Default settings but for a manual clock at START (and a seed, for repeatable ids)."""
    return create_app(Settings(seed=5, clock="manual", start_time=START)).test_client()


def attempt(start: int, ring: int, outcome: str, talk: int = 0) -> dict[str, Any]:
    return {
        "start": START + start,
        "ringSeconds": ring,
        "outcome": outcome,
        "talkSeconds": talk,
        "end": START + start + ring + talk,
    }


def test_a_plain_number_is_dialled_at_3_rings_5_talks_20_and_costs_57(manual: FlaskClient) -> None:
    [record] = place(manual, ["09121234567"])
    assert plan(manual, record["id"]) == {
        "attempts": [attempt(QUEUE, RING, "NORMAL", TALK)],
        "status": "NORMAL",
        "finalAt": START + 28,
        "executionDate": START + 3,
        "billSec": 20,
        "price": -57.0,
    }
    assert -round(TALK * TARIFF, 2) == -57.0
    advance(manual, 27)
    assert status(manual, record["id"])["status"] == "WAITING"
    advance(manual, 1)
    assert status(manual, record["id"]) == {
        "id": record["id"],
        "phoneNumber": "09121234567",
        "status": "NORMAL",
        "statusCode": 1,
        "billSec": 20,
        "requestDate": START,
        "executionDate": START + 3,
        "price": -57.0,
    }


def test_without_retry_count_an_unanswered_call_is_tried_twice_30_s_each_60_s_apart(
    manual: FlaskClient,
) -> None:
    [record] = place(manual, ["09990000002"])  # no retryCount: the default, 1
    call = admin_call(manual, record["id"])
    assert call["retryCount"] == 1
    first = attempt(QUEUE, NO_ANSWER_RING, "NO_ANSWER")
    second = attempt(QUEUE + NO_ANSWER_RING + RETRY_INTERVAL, NO_ANSWER_RING, "NO_ANSWER")
    assert call["plan"]["attempts"] == [first, second]
    assert (second["start"], second["end"]) == (START + 93, START + 123)
    advance(manual, 122)
    assert status(manual, record["id"])["status"] == "WAITING"
    advance(manual, 1)
    done = status(manual, record["id"])
    assert (done["status"], done["executionDate"], done["billSec"], done["price"]) == (
        "NO_ANSWER",
        START + 93,
        0,
        0.0,
    )


def test_without_retry_count_a_busy_call_is_tried_twice_each_ending_after_1_s(
    manual: FlaskClient,
) -> None:
    [record] = place(manual, ["09990000003"])
    assert plan(manual, record["id"])["attempts"] == [
        attempt(QUEUE, FAIL, "USER_BUSY"),
        attempt(QUEUE + FAIL + RETRY_INTERVAL, FAIL, "USER_BUSY"),
    ]
    assert plan(manual, record["id"])["finalAt"] == START + 65


@pytest.mark.parametrize("number, outcome", [("09990000011", "ERROR"), ("09990000020", "UNKNOWN")])
def test_an_error_or_unknown_attempt_ends_after_1_s_and_is_not_retried(
    manual: FlaskClient, number: str, outcome: str
) -> None:
    [record] = place(manual, [number])
    assert plan(manual, record["id"])["attempts"] == [attempt(QUEUE, FAIL, outcome)]
    assert plan(manual, record["id"])["finalAt"] == START + 4


SINGLE_NUMBER_BODIES = [
    ("/api/v2/voice/batch/tts", {"phoneNumbers": ["09990000002"], "text": "hello"}),
    ("/api/v2/voice/single", {"phoneNumber": "09990000002", "voiceId": VOICE_ID}),
    ("/api/v2/voice/single/tts", {"phoneNumber": "09990000002", "text": "hello"}),
    ("/api/v2/voice/otp", {"phoneNumber": "09990000002", "text": "1234"}),
]


@pytest.mark.parametrize(
    "path, body", SINGLE_NUMBER_BODIES, ids=[p for p, _ in SINGLE_NUMBER_BODIES]
)
def test_every_endpoint_defaults_retry_count_to_one(
    manual: FlaskClient, path: str, body: dict[str, Any]
) -> None:
    response = post(manual, path, body)
    assert response.status_code == 200, response.get_json()
    result = response.get_json()["result"]
    [record] = result if isinstance(result, list) else [result]
    call = admin_call(manual, record["id"])
    assert call["retryCount"] == 1
    assert [a["start"] - START for a in call["plan"]["attempts"]] == [3, 93]


def test_a_call_not_finished_after_14400_s_expires_then(manual: FlaskClient) -> None:
    rule = {"number": "09121111111", "attempts": [{"status": "NO_ANSWER", "ringSeconds": 7200}]}
    assert manual.post("/__admin/scenarios", json=rule).status_code == 201
    [record] = place(manual, ["09121111111"], retryCount=3)
    # The second attempt would start at 3 + 7200 + 60 and end past the time-to-live: not made.
    found = plan(manual, record["id"])
    assert found["attempts"] == [attempt(QUEUE, 7200, "NO_ANSWER")]
    assert (found["status"], found["finalAt"], found["executionDate"]) == (
        "EXPIRED",
        START + TTL,
        START + TTL,
    )
    advance(manual, TTL - 1)
    assert status(manual, record["id"])["status"] == "WAITING"
    advance(manual, 1)
    assert status(manual, record["id"])["status"] == "EXPIRED"


def _body_of_size(size: int) -> bytes:
    body = {"phoneNumbers": ["09121234567"], "voiceId": VOICE_ID, "padding": ""}
    empty = len(json.dumps(body).encode())
    return json.dumps(body | {"padding": "x" * (size - empty)}).encode()


def test_the_body_limit_is_1048576_bytes(manual: FlaskClient) -> None:
    at_limit, over = _body_of_size(1_048_576), _body_of_size(1_048_577)
    assert (len(at_limit), len(over)) == (1_048_576, 1_048_577)
    assert (
        manual.post(BATCH, data=at_limit, headers=AUTH, content_type="application/json").status_code
        == 200
    )
    response = manual.post(BATCH, data=over, headers=AUTH, content_type="application/json")
    assert (response.status_code, response.get_json()) == (
        413,
        {"result": None, "error": "PayloadTooLarge"},
    )
    assert manual.get("/__admin/health").get_json()["calls"] == 1


def test_the_journal_keeps_the_last_1000_requests(manual: FlaskClient) -> None:
    for n in range(1001):
        manual.get(f"/missing/{n}")
    page = manual.get("/__admin/requests?limit=1000").get_json()
    assert page["total"] == 1000
    assert (page["requests"][0]["path"], page["requests"][-1]["path"]) == (
        "/missing/1000",
        "/missing/1",
    )


def test_no_rate_limit_and_no_waiting_cap_by_default(manual: FlaskClient) -> None:
    for _ in range(20):  # 2000 calls WAITING, 20 requests in one emulator second, one token
        place(manual, ["09121234567"] * 100)
    assert manual.get("/__admin/health").get_json()["calls"] == 2000


def test_the_real_clock_is_the_default_and_follows_the_wall() -> None:
    wall = FixedClock(1_650_000_000)
    client = create_app(Settings(), clock=wall).test_client()
    assert now(client) == {"now": 1_650_000_000, "mode": "real"}
    wall.set(1_650_000_050)
    assert now(client)["now"] == 1_650_000_050


def test_a_manual_clock_starts_at_the_wall_time_by_default_then_stays() -> None:
    wall = FixedClock(1_650_000_123.7)
    client = create_app(Settings(clock="manual"), clock=wall).test_client()
    assert now(client) == {"now": 1_650_000_123, "mode": "manual"}
    wall.set(1_650_009_999)
    assert now(client)["now"] == 1_650_000_123


# --- Webhooks: timeout 5 s, 3 retries, backoff 30 s doubling up to 3600 s, positive balance ---


def webhook_client(sender: RecordingSender, **settings: Any) -> FlaskClient:
    configured = Settings(
        seed=5, clock="manual", start_time=START, webhook_url="http://127.0.0.1:9/hook", **settings
    )
    return create_app(configured, sender=sender).test_client()


def test_a_failing_webhook_is_retried_3_times_after_30_60_and_120_s_with_a_5_s_timeout() -> None:
    sender = RecordingSender(failing=True)
    client = webhook_client(sender)
    place(client, ["09121234567"])
    final = START + 28
    moments = []
    for due in (final, final + 30, final + 90, final + 210):
        advance(client, due - 1 - now(client)["now"])
        sent_before = len(sender.sent)
        advance(client, 1)
        assert len(sender.sent) == sent_before + 1, f"an attempt is due at {due}"
        moments.append(now(client)["now"])
    advance(client, 86_400)
    assert len(sender.sent) == 4
    assert [d["at"] for d in deliveries(client)] == moments
    assert [d["outcome"] for d in deliveries(client)] == ["retrying"] * 3 + ["failed"]
    assert {sent.timeout for sent in sender.sent} == {5.0}
    assert [sent.headers["X-Bitel-Mock-Attempt"] for sent in sender.sent] == ["1", "2", "3", "4"]
    assert sender.sent[0].body["balanceSubtracted"] == 57.0


def test_webhook_backoff_doubles_to_at_most_3600_s() -> None:
    sender = RecordingSender(failing=True)
    client = webhook_client(sender, webhook_backoff=3000)
    place(client, ["09121234567"])
    advance(client, 28)
    for _ in range(3):
        advance(client, 86_400)
    waits = [d["nextAttemptAt"] - d["at"] for d in deliveries(client) if d["nextAttemptAt"]]
    assert waits == [3000, 3600, 3600]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_the_delivery_journal_keeps_the_newest_10000_attempts(kind: str, tmp_path: Any) -> None:
    store = MemoryStore() if kind == "memory" else SqliteStore(tmp_path / "deliveries.sqlite3")
    for n in range(10_001):
        store.add_delivery(
            Delivery(
                id=0,
                call_id=f"{n:032x}",
                campaign_id=None,
                attempt=1,
                kind=DeliveryKind.DELIVERY,
                at=START,
                url="http://127.0.0.1:9/hook",
                status=200,
                error=None,
                latency_ms=0.0,
                outcome=DeliveryOutcome.DELIVERED,
                next_attempt_at=None,
                token_fingerprint=None,
                body=None,
            )
        )
    assert store.get_delivery(1) is None
    assert store.get_delivery(2) is not None and store.get_delivery(10_001) is not None
