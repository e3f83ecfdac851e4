"""Webhooks reach a real loopback receiver once a call's final moment passes on the manual clock."""

from __future__ import annotations

from flask.testing import FlaskClient

from bitel_mock import contracts
from bitel_mock.client import CallStatus, parse_voice_webhook
from tests.conftest import AUTH, VOICE_ID
from tests.webhooks.conftest import START, advance, configure, deliveries, place
from tests.webhooks.receiver import Receiver, by_request_id


def status(client: FlaskClient, call_id: str) -> dict:
    response = client.get(f"/api/v2/voice/status/{call_id}", headers=AUTH)
    assert response.status_code == 200
    return response.get_json()["result"]


def test_the_walkthrough_batch_posts_three_events_matching_the_final_records(
    client: FlaskClient, receiver: Receiver
) -> None:
    placed = place(client, ["09990000001", "09990000002", "09990000201"], retry_count=2)
    moved = advance(client, 3600)
    assert moved["webhookAttempts"] == 3
    bodies = receiver.bodies()
    assert len(bodies) == 3
    events = by_request_id(bodies)
    assert set(events) == {record["id"] for record in placed}
    for record in placed:
        final = status(client, record["id"])
        event = events[record["id"]]
        assert event["cause"] == final["status"]
        assert event["billSec"] == final["billSec"]
        assert event["balanceSubtracted"] == -final["price"]
        assert event["number"] == final["phoneNumber"]
        assert event["requestDate"] == final["requestDate"] == START
        parse_voice_webhook(event)  # every emitted body keeps the contract
    assert [events[r["id"]]["cause"] for r in placed] == ["NORMAL", "NO_ANSWER", "NORMAL"]
    assert events[placed[0]["id"]]["balanceSubtracted"] > 0
    assert len({event["campaignId"] for event in bodies}) == 1


def test_an_event_is_sent_as_json_with_the_vendor_fields_only(
    client: FlaskClient, receiver: Receiver
) -> None:
    [record] = place(client, ["09121234567"])
    advance(client, 3600)
    [received] = receiver.requests
    assert received.path == "/hook"
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["X-Bitel-Mock-Attempt"] == "1"
    body = received.json()
    assert set(body) == {
        "requestId",
        "campaignId",
        "balanceSubtracted",
        "cause",
        "billSec",
        "number",
        "requestDate",
    }
    event = parse_voice_webhook(received.body)
    assert (event.request_id, event.cause, event.number) == (
        record["id"],
        CallStatus.NORMAL,
        "09121234567",
    )
    assert event.bill_sec == 20 and event.balance_subtracted == 57.0


def test_nothing_is_sent_before_the_final_moment_and_each_event_only_once(
    client: FlaskClient, receiver: Receiver
) -> None:
    [record] = place(client, ["09990000001"])
    final_at = client.get("/__admin/calls").get_json()["calls"][0]["plan"]["finalAt"]
    advance(client, final_at - START - 1)
    assert receiver.requests == []
    advance(client, 1)
    assert [body["requestId"] for body in receiver.bodies()] == [record["id"]]
    advance(client, 3600)
    assert len(receiver.requests) == 1


def test_events_arrive_in_due_order(client: FlaskClient, receiver: Receiver) -> None:
    # 09990000011 ends in ERROR after 1 s of ringing, 09990000001 after a 20 s talk.
    slow, fast = place(client, ["09990000001", "09990000011"])
    advance(client, 3600)
    assert [body["requestId"] for body in receiver.bodies()] == [fast["id"], slow["id"]]


def test_campaign_ids_group_the_calls_of_one_request_and_show_in_admin_calls(
    client: FlaskClient, receiver: Receiver
) -> None:
    first = place(client, ["09121234567", "09121234568"])
    second = place(client, ["09121234569"])
    single = client.post(
        "/api/v2/voice/single",
        json={"phoneNumber": "09121234560", "voiceId": VOICE_ID},
        headers=AUTH,
    ).get_json()["result"]
    calls = {call["id"]: call for call in client.get("/__admin/calls").get_json()["calls"]}
    campaigns = [calls[r["id"]]["campaignId"] for r in [*first, *second, single]]
    assert campaigns[0] == campaigns[1]
    assert len(set(campaigns)) == 3  # a single call is a campaign of one
    assert all(len(c) == 32 and int(c, 16) >= 0 for c in campaigns)
    advance(client, 3600)
    assert {b["requestId"]: b["campaignId"] for b in receiver.bodies()} == {
        r["id"]: calls[r["id"]]["campaignId"] for r in [*first, *second, single]
    }


def test_a_failing_receiver_gets_retries_on_the_emulator_clock(
    client: FlaskClient, receiver: Receiver
) -> None:
    receiver.fail_with(500, 503)
    [record] = place(client, ["09121234567"])
    advance(client, 3600)
    assert len(receiver.requests) == 1
    advance(client, 9)  # the first retry is due 10 s after the failure
    assert len(receiver.requests) == 1
    advance(client, 1)
    assert len(receiver.requests) == 2
    advance(client, 20)  # then twice as long
    assert [r.headers["X-Bitel-Mock-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
    assert len({r.body for r in receiver.requests}) == 1
    journal = list(reversed(deliveries(client, callId=record["id"])))
    assert [(d["attempt"], d["status"], d["outcome"]) for d in journal] == [
        (1, 500, "retrying"),
        (2, 503, "retrying"),
        (3, 200, "delivered"),
    ]
    assert journal[0]["error"] == "HTTP 500" and journal[2]["error"] is None
    assert journal[0]["nextAttemptAt"] == journal[1]["at"] == journal[0]["at"] + 10
    assert all(d["latencyMs"] >= 0 and d["url"] == receiver.url for d in journal)
    advance(client, 3600)
    assert len(receiver.requests) == 3


def test_retries_stop_after_the_set_number(client: FlaskClient, receiver: Receiver) -> None:
    configure(client, retries=1, backoffSeconds=0)
    receiver.fail_with(500, 500, 500)
    place(client, ["09121234567"])
    advance(client, 3600)  # a retry due at once is made in the same move
    advance(client, 3600)
    assert len(receiver.requests) == 2
    assert [d["outcome"] for d in deliveries(client)] == ["failed", "retrying"]
    assert client.get("/__admin/webhooks/config").get_json()["pendingEvents"] == 0


def test_a_dead_receiver_is_a_journaled_connection_error(client: FlaskClient) -> None:
    with Receiver() as gone:
        dead_url = gone.url  # a loopback port that nobody listens on once the block ends
    configure(client, url=dead_url, retries=0)
    place(client, ["09121234567"])
    advance(client, 3600)
    [attempt] = deliveries(client)
    assert attempt["status"] is None and attempt["outcome"] == "failed"
    assert "ConnectionError" in attempt["error"]


def test_redeliver_sends_a_journaled_body_again(client: FlaskClient, receiver: Receiver) -> None:
    place(client, ["09121234567"])
    advance(client, 3600)
    [first] = deliveries(client)
    response = client.post(f"/__admin/webhooks/deliveries/{first['id']}/redeliver")
    assert response.status_code == 200
    again = response.get_json()
    assert (again["kind"], again["outcome"], again["event"]) == (
        "redelivery",
        "delivered",
        first["event"],
    )
    assert again["id"] > first["id"]
    assert [r.body for r in receiver.requests] == [receiver.requests[0].body] * 2
    assert client.post("/__admin/webhooks/deliveries/999/redeliver").status_code == 404
    configure(client, url=None)
    refused = client.post(f"/__admin/webhooks/deliveries/{first['id']}/redeliver")
    assert (refused.status_code, refused.get_json()["error"]) == (409, "NoWebhookUrl")


def test_per_token_urls_keep_only_a_fingerprint(client: FlaskClient, receiver: Receiver) -> None:
    with Receiver() as other:
        shown = configure(client, tokens={"secret-token": other.url})
        assert "secret-token" not in str(shown)
        [fingerprint] = shown["tokenUrls"]
        assert len(fingerprint) == 16 and shown["tokenUrls"][fingerprint] == other.url
        [mine] = place(client, ["09121234567"], headers={"Authorization": "Bearer secret-token"})
        [theirs] = place(client, ["09121234568"])
        call = next(
            c for c in client.get("/__admin/calls").get_json()["calls"] if c["id"] == mine["id"]
        )
        assert call["tokenFingerprint"] == fingerprint
        advance(client, 3600)
        assert [b["requestId"] for b in other.bodies()] == [mine["id"]]
        assert [b["requestId"] for b in receiver.bodies()] == [theirs["id"]]


def test_without_a_url_no_event_is_kept(receiver: Receiver) -> None:
    from bitel_mock.app import create_app
    from bitel_mock.settings import Settings

    app = create_app(Settings(clock="manual", start_time=START))
    plain = app.test_client()
    place(plain, ["09121234567"])
    assert plain.get("/__admin/webhooks/config").get_json()["pendingEvents"] == 0
    configure(plain, url=receiver.url)
    place(plain, ["09121234568"])
    advance(plain, 3600)
    assert len(receiver.requests) == 1


def test_negative_balance_setting_sends_the_price(client: FlaskClient, receiver: Receiver) -> None:
    configure(client, negativeBalance=True)
    place(client, ["09121234567"])
    advance(client, 3600)
    assert receiver.bodies()[0]["balanceSubtracted"] == -57.0


def test_reset_forgets_pending_events_deliveries_and_the_run_time_config(
    client: FlaskClient, receiver: Receiver
) -> None:
    place(client, ["09121234567"])
    advance(client, 3600)
    place(client, ["09121234568"])
    configure(client, retries=7)
    assert client.post("/__admin/reset").status_code == 200
    config = client.get("/__admin/webhooks/config").get_json()
    assert (config["retries"], config["pendingEvents"], config["url"]) == (3, 0, receiver.url)
    assert deliveries(client) == []
    advance(client, 7200)
    assert len(receiver.requests) == 1


def test_config_rejects_what_it_cannot_use(client: FlaskClient) -> None:
    for bad in (
        {"url": "ftp://127.0.0.1/hook"},
        {"url": "http://user:pw@127.0.0.1/hook"},
        {"timeoutSeconds": 0},
        {"retries": -1},
        {"faults": {"duplicates": 6}},
        {"unknown": 1},
    ):
        response = client.post("/__admin/webhooks/config", json=bad)
        assert response.status_code == 400, bad
        assert response.get_json()["error"] == "InvalidRequest"


def test_every_kind_of_journal_entry_and_the_config_keep_the_admin_contract(
    client: FlaskClient, receiver: Receiver
) -> None:
    receiver.fail_with(500)
    client.post("/__admin/webhooks/faults", json={"duplicates": 1})
    place(client, ["09121234567"])
    advance(client, 3600)
    advance(client, 3600)
    first = deliveries(client)[-1]["id"]
    assert client.post(f"/__admin/webhooks/deliveries/{first}/redeliver").status_code == 200
    place(client, ["09121234568"])
    configure(client, url=None)
    advance(client, 3600)
    journal = deliveries(client)
    assert {(d["kind"], d["outcome"]) for d in journal} == {
        ("delivery", "retrying"),
        ("duplicate", "delivered"),
        ("delivery", "delivered"),
        ("redelivery", "delivered"),
        ("delivery", "skipped"),
    }
    skipped = journal[0]
    assert (skipped["body"], skipped["url"], skipped["error"]) == (
        None,
        None,
        "no webhook URL is configured for this call's token",
    )
    validator = contracts.validator("admin-webhook-delivery")
    for entry in journal:
        validator.validate(entry)
    contracts.validator("admin-webhook-config").validate(
        client.get("/__admin/webhooks/config").get_json()
    )
    refused = client.post(f"/__admin/webhooks/deliveries/{skipped['id']}/redeliver")
    assert refused.status_code == 404
