"""SMS webhooks: one event per message at its final moment on the manual clock, through the
same claims, retries, journal and faults as voice events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from bitel_mock import contracts
from bitel_mock.app import create_app
from bitel_mock.client import SmsStatus, parse_sms_webhook
from bitel_mock.settings import Settings
from bitel_mock.store.sqlite import SqliteStore
from tests.conftest import AUTH
from tests.webhooks.conftest import START, advance, configure, deliveries
from tests.webhooks.receiver import Receiver, by_request_id

DELIVER_SECONDS = 5
"""--sms-deliver-seconds' default: a handed-over message is final this long after acceptance."""
CHECK_SECONDS = 2
"""--sms-check-seconds' default: a refused message is final this long after acceptance."""
SMS_FIELDS = {
    "requestId",
    "batchId",
    "balanceSubtracted",
    "cause",
    "smsCount",
    "requestDate",
    "deliveryStatus",
}


def send(client: FlaskClient, endpoint: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(f"/api/v2/sms/{endpoint}", json=body, headers=AUTH)
    assert response.status_code == 200, response.get_json()
    result = response.get_json()["result"]
    return result if isinstance(result, list) else [result]


def status(client: FlaskClient, message_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v2/sms/status/{message_id}", headers=AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def test_a_failed_and_a_delivered_message_each_post_their_final_code(
    client: FlaskClient, receiver: Receiver
) -> None:
    failed, plain = send(
        client, "batch", {"message": "Hi there", "phoneNumbers": ["09991000004", "09121234567"]}
    )
    assert advance(client, DELIVER_SECONDS)["webhookAttempts"] == 2
    events = by_request_id(receiver.bodies())
    assert set(events) == {failed["id"], plain["id"]}
    for record in (failed, plain):
        event, final = events[record["id"]], status(client, record["id"])
        assert set(event) == SMS_FIELDS
        assert contracts.validator("sms-webhook-event").is_valid(event)
        parsed = parse_sms_webhook(event)
        assert parsed.delivery_status == parsed.cause == SmsStatus(final["status"])
        assert event["deliveryStatus"] == final["status"]
        assert event["balanceSubtracted"] == -final["price"] == 14.0
        assert event["smsCount"] == final["partCount"] == 1
        assert event["requestDate"] == final["requestDate"] == START
    assert events[failed["id"]]["cause"] == "DELIVERY_FAILED"
    assert events[failed["id"]]["deliveryStatus"] == 4
    assert events[plain["id"]]["cause"] == "DELIVERED"
    assert events[plain["id"]]["deliveryStatus"] == 1


def test_nothing_is_sent_before_the_final_moment(client: FlaskClient, receiver: Receiver) -> None:
    [record] = send(client, "single", {"message": "Hi there", "phoneNumber": "09121234567"})
    advance(client, DELIVER_SECONDS - 1)  # CHECK_OK by now: charged, but not final
    assert status(client, record["id"])["status"] == SmsStatus.CHECK_OK
    assert receiver.requests == []
    advance(client, 1)
    assert [body["requestId"] for body in receiver.bodies()] == [record["id"]]
    advance(client, 3600)
    assert len(receiver.requests) == 1  # each event once


def test_a_refused_message_is_posted_at_its_check_uncharged(
    client: FlaskClient, receiver: Receiver
) -> None:
    [record] = send(client, "single", {"message": "Hi", "phoneNumber": "09991000005"})
    advance(client, CHECK_SECONDS)
    [event] = receiver.bodies()
    assert (event["requestId"], event["cause"], event["deliveryStatus"]) == (
        record["id"],
        "BLACKLIST",
        5,
    )
    assert event["balanceSubtracted"] == 0.0


def test_the_messages_of_a_batch_and_of_a_p2p_request_share_their_batch_id(
    client: FlaskClient, receiver: Receiver
) -> None:
    batch = send(client, "batch", {"message": "Hi", "phoneNumbers": ["09121234567", "09361234567"]})
    p2p = send(
        client,
        "batch/p2p",
        {
            "messages": ["a", "b", "c"],
            "phoneNumbers": ["09121234567", "09991000009", "09121112222"],
        },
    )
    advance(client, DELIVER_SECONDS)
    events = by_request_id(receiver.bodies())
    assert len(events) == 5
    batch_ids = {events[record["id"]]["batchId"] for record in batch}
    p2p_ids = {events[record["id"]]["batchId"] for record in p2p}
    assert len(batch_ids) == 1 and len(p2p_ids) == 1
    assert batch_ids != p2p_ids
    assert all(isinstance(shared, str) and len(shared) == 32 for shared in batch_ids | p2p_ids)
    assert events[p2p[1]["id"]]["cause"] == "ERROR"


def test_single_otp_and_template_messages_have_a_null_batch_id(
    client: FlaskClient, receiver: Receiver
) -> None:
    sent = [
        *send(client, "single", {"message": "Hi", "phoneNumber": "09121234567"}),
        *send(client, "otp", {"phoneNumber": "09121234567", "appName": "Bitel", "code": "1234"}),
        *send(
            client,
            "template",
            {
                "phoneNumber": "09121234567",
                "templateId": 1234,
                "params": ["Bitel", "is", "awesome"],
            },
        ),
    ]
    advance(client, DELIVER_SECONDS)
    events = by_request_id(receiver.bodies())
    assert set(events) == {record["id"] for record in sent}
    for record in sent:
        event = parse_sms_webhook(events[record["id"]])
        assert event.batch_id is None
        assert event.sms_count == record["partCount"]
    otp = events[sent[1]["id"]]
    assert otp["smsCount"] == 1 and otp["balanceSubtracted"] == 14.0


def test_an_otp_to_a_blacklisting_number_is_posted_delivered(
    client: FlaskClient, receiver: Receiver
) -> None:
    send(client, "otp", {"phoneNumber": "09991000005", "appName": "Bitel", "code": "1234"})
    advance(client, DELIVER_SECONDS)
    assert [body["cause"] for body in receiver.bodies()] == ["DELIVERED"]


def test_a_two_part_message_reports_both_parts_and_their_price(
    client: FlaskClient, receiver: Receiver
) -> None:
    send(client, "single", {"message": "x" * 161, "phoneNumber": "09121234567"})
    advance(client, DELIVER_SECONDS)
    [event] = receiver.bodies()
    assert (event["smsCount"], event["balanceSubtracted"]) == (2, 28.0)


def test_negative_balance_sends_the_price_itself(client: FlaskClient, receiver: Receiver) -> None:
    configure(client, negativeBalance=True)
    send(client, "single", {"message": "Hi", "phoneNumber": "09121234567"})
    advance(client, DELIVER_SECONDS)
    [event] = receiver.bodies()
    assert event["balanceSubtracted"] == -14.0
    assert parse_sms_webhook(event).balance_subtracted == -14.0


def test_a_failed_delivery_is_retried_and_journaled_like_a_calls(
    client: FlaskClient, receiver: Receiver
) -> None:
    receiver.fail_with(500)
    [record] = send(client, "batch", {"message": "Hi", "phoneNumbers": ["09121234567"]})
    advance(client, DELIVER_SECONDS)
    [first] = deliveries(client)
    assert (first["event"], first["outcome"], first["status"]) == (record["id"], "retrying", 500)
    assert first["nextAttemptAt"] == START + DELIVER_SECONDS + 10  # webhook_backoff=10
    assert first["campaignId"] == first["body"]["batchId"] is not None
    advance(client, 10)
    journal = deliveries(client, callId=record["id"])
    assert [(d["attempt"], d["outcome"]) for d in journal] == [(2, "delivered"), (1, "retrying")]
    assert [r.headers["X-Bitel-Mock-Attempt"] for r in receiver.requests] == ["1", "2"]
    assert receiver.bodies()[0] == receiver.bodies()[1]
    schema = contracts.validator("admin-webhook-delivery")
    assert all(schema.is_valid(delivery) for delivery in journal)


def test_the_duplicate_fault_copies_sms_events(client: FlaskClient, receiver: Receiver) -> None:
    response = client.post("/__admin/webhooks/faults", json={"duplicates": 2})
    assert response.status_code == 200, response.get_json()
    [record] = send(client, "single", {"message": "Hi", "phoneNumber": "09121234567"})
    advance(client, DELIVER_SECONDS)
    assert [body["requestId"] for body in receiver.bodies()] == [record["id"]] * 3
    kinds = sorted(d["kind"] for d in deliveries(client))
    assert kinds == ["delivery", "duplicate", "duplicate"]


def test_a_token_with_its_own_url_gets_its_messages_events_there(
    client: FlaskClient, receiver: Receiver
) -> None:
    with Receiver() as other:
        configure(client, tokens={"other-token": other.url})
        response = client.post(
            "/api/v2/sms/single",
            json={"message": "Hi", "phoneNumber": "09121234567"},
            headers={"Authorization": "Bearer other-token"},
        )
        assert response.status_code == 200
        mine = send(client, "single", {"message": "Hi", "phoneNumber": "09121234567"})
        advance(client, DELIVER_SECONDS)
        assert [body["requestId"] for body in other.bodies()] == [
            response.get_json()["result"]["id"]
        ]
        assert [body["requestId"] for body in receiver.bodies()] == [mine[0]["id"]]


def test_without_a_url_no_event_is_kept(client: FlaskClient, receiver: Receiver) -> None:
    configure(client, url=None)
    send(client, "single", {"message": "Hi", "phoneNumber": "09121234567"})
    assert client.get("/__admin/webhooks/config").get_json()["pendingEvents"] == 0
    advance(client, DELIVER_SECONDS)
    assert receiver.requests == []


def test_a_refused_send_keeps_no_event(client: FlaskClient) -> None:
    response = client.post(
        "/api/v2/sms/batch",
        json={"message": "Hi", "phoneNumbers": ["09121234567", "not-a-number"]},
        headers=AUTH,
    )
    assert response.status_code == 400
    assert client.get("/__admin/webhooks/config").get_json()["pendingEvents"] == 0


def test_sms_events_kept_in_sqlite_are_delivered_by_a_clock_move(
    receiver: Receiver, tmp_path: Path
) -> None:
    settings = Settings(seed=7, clock="manual", start_time=START, webhook_url=receiver.url)
    app = create_app(settings, store=SqliteStore(tmp_path / "hooks.sqlite3"))
    try:
        client = app.test_client()
        sent = send(
            client, "batch", {"message": "Hi", "phoneNumbers": ["09991000004", "09991000010"]}
        )
        assert client.get("/__admin/webhooks/config").get_json()["pendingEvents"] == 2
        assert advance(client, DELIVER_SECONDS)["webhookAttempts"] == 2
        events = by_request_id(receiver.bodies())
        assert [events[record["id"]]["cause"] for record in sent] == [
            "DELIVERY_FAILED",
            "CHECK_ERROR",
        ]
    finally:
        app.extensions["bitel_mock"].close()
