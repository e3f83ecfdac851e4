"""A slow or dead receiver never holds up the emulated API; the real clock delivers in the background."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask

from bitel_mock.app import create_app
from bitel_mock.domain.clock import FixedClock
from bitel_mock.settings import Settings
from tests.conftest import AUTH, VOICE_ID
from tests.webhooks.conftest import START, advance, deliveries, place
from tests.webhooks.receiver import Receiver


@pytest.fixture
def real_clock_app(receiver: Receiver) -> Iterator[tuple[Flask, FixedClock]]:
    wall = FixedClock(START)
    app = create_app(Settings(seed=4, webhook_url=receiver.url), clock=wall)
    yield app, wall
    app.extensions["bitel_mock"].close()


def test_on_a_real_clock_the_background_dispatcher_delivers_due_events(
    real_clock_app: tuple[Flask, FixedClock], receiver: Receiver
) -> None:
    app, wall = real_clock_app
    client = app.test_client()
    [record] = place(client, ["09121234567"])
    assert app.extensions["bitel_mock"]._background.running
    wall.set(START + 3600)  # time passes; no admin call is made
    [received] = receiver.wait_for(1)
    assert received.json()["requestId"] == record["id"]


def test_a_held_delivery_does_not_block_the_emulated_api(
    real_clock_app: tuple[Flask, FixedClock], receiver: Receiver
) -> None:
    app, wall = real_clock_app
    client = app.test_client()
    receiver.hold()
    [first] = place(client, ["09121234567"])
    wall.set(START + 3600)
    receiver.wait_for(1)  # the background delivery is now stuck in the receiver
    # Meanwhile the API answers: a new call, a status, the admin journal.
    [second] = place(client, ["09121234568"])
    status = client.get(f"/api/v2/voice/status/{first['id']}", headers=AUTH).get_json()["result"]
    assert status["status"] == "NORMAL"
    assert client.get("/__admin/webhooks/deliveries").status_code == 200
    receiver.release()
    wall.set(START + 7200)
    received = receiver.wait_for(2)
    assert {r.json()["requestId"] for r in received} == {first["id"], second["id"]}


def test_a_receiver_slower_than_the_timeout_is_a_failed_attempt(receiver: Receiver) -> None:
    app = create_app(
        Settings(
            clock="manual",
            start_time=START,
            webhook_url=receiver.url,
            webhook_timeout=0.2,
            webhook_retries=1,
        )
    )
    client = app.test_client()
    receiver.hold()
    release = threading.Timer(5.0, receiver.release)  # bounded: never hangs the suite
    release.start()
    try:
        place(client, ["09121234567"])
        advance(client, 3600)
    finally:
        receiver.release()
        release.cancel()
    [attempt] = deliveries(client)
    assert attempt["status"] is None and attempt["outcome"] == "retrying"
    assert attempt["error"].startswith("timeout after 0.2 s")


def test_single_endpoints_give_each_call_its_own_campaign(client, receiver: Receiver) -> None:
    ids = []
    for number in ("09121234567", "09121234568"):
        response = client.post(
            "/api/v2/voice/single", json={"phoneNumber": number, "voiceId": VOICE_ID}, headers=AUTH
        )
        ids.append(response.get_json()["result"]["id"])
    advance(client, 3600)
    campaigns = {b["requestId"]: b["campaignId"] for b in receiver.bodies()}
    assert set(campaigns) == set(ids) and len(set(campaigns.values())) == 2
