"""Webhook faults: late, repeated and reordered deliveries, to test a receiver's idempotency."""

from __future__ import annotations

from collections import Counter

from flask.testing import FlaskClient

from tests.webhooks.conftest import START, advance, deliveries, place
from tests.webhooks.receiver import Receiver


def set_faults(client: FlaskClient, **faults: object) -> dict:
    response = client.post("/__admin/webhooks/faults", json=faults)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_duplicates_send_every_event_that_many_more_times(
    client: FlaskClient, receiver: Receiver
) -> None:
    assert set_faults(client, duplicates=2)["faults"] == {
        "delaySeconds": 0,
        "duplicates": 2,
        "outOfOrder": False,
    }
    placed = place(client, ["09121234567", "09121234568"])
    advance(client, 3600)
    counts = Counter(r.body for r in receiver.requests)
    assert sorted(Counter(body["requestId"] for body in receiver.bodies()).values()) == [3, 3]
    assert len(counts) == 2  # byte-identical copies
    kinds = Counter(d["kind"] for d in deliveries(client))
    assert kinds == {"delivery": 2, "duplicate": 4}
    assert {b["requestId"] for b in receiver.bodies()} == {r["id"] for r in placed}


def test_out_of_order_sends_events_due_together_newest_first(
    client: FlaskClient, receiver: Receiver
) -> None:
    in_due_order = [r["id"] for r in place(client, ["09990000011", "09990000001", "09990000002"])]
    set_faults(client, outOfOrder=True)
    advance(client, 3600)
    sent = [body["requestId"] for body in receiver.bodies()]
    # Due order is ERROR (1 s), NORMAL (20 s talk), NO_ANSWER (two unanswered attempts).
    assert sent == list(reversed(in_due_order))


def test_delay_holds_events_of_later_calls_past_their_final_moment(
    client: FlaskClient, receiver: Receiver
) -> None:
    [early] = place(client, ["09121234567"])
    set_faults(client, delaySeconds=600)
    [late] = place(client, ["09121234568"])
    calls = {c["id"]: c for c in client.get("/__admin/calls").get_json()["calls"]}
    final_at = calls[late["id"]]["plan"]["finalAt"]
    advance(client, final_at - START)
    assert [b["requestId"] for b in receiver.bodies()] == [early["id"]]
    advance(client, 599)
    assert len(receiver.requests) == 1
    advance(client, 1)
    assert [b["requestId"] for b in receiver.bodies()] == [early["id"], late["id"]]


def test_faults_reject_values_out_of_range(client: FlaskClient) -> None:
    for bad in ({"duplicates": -1}, {"delaySeconds": 10**9}, {"outOfOrder": "yes"}, {"other": 1}):
        assert client.post("/__admin/webhooks/faults", json=bad).status_code == 400, bad
