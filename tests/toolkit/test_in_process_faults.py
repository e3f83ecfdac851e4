"""Socket faults played by the in-process transport, seen from the reference client."""

from __future__ import annotations

import pytest

from bitel_mock.app import create_app
from bitel_mock.client import APIConnectionError, APITimeoutError, BitelClient
from bitel_mock.settings import Settings
from bitel_mock.transport import in_process_session

BATCH = "/api/v2/voice/batch"
VOICE = "08e815cbcd724386805103ac0d45e4c2"


@pytest.fixture
def emulator():
    app = create_app(Settings(seed=1))
    slept: list[float] = []
    session = in_process_session(app, sleep=slept.append)
    return app.test_client(), BitelClient("t", base_url="http://bitel.test", session=session, max_retries=0), slept


def calls(admin) -> int:
    return admin.get("/__admin/health").get_json()["calls"]


def test_a_drop_fault_is_a_connection_error_and_places_nothing(emulator) -> None:
    admin, client, _ = emulator
    assert admin.post("/__admin/faults", json={"kind": "drop", "path": BATCH, "times": 1}).status_code == 201
    with pytest.raises(APIConnectionError) as raised:
        client.batch_call(phone_numbers=["09121234567"], voice_id=VOICE)
    assert not isinstance(raised.value, APITimeoutError)
    assert calls(admin) == 0
    # The fault was used up: the next request goes through.
    assert len(client.batch_call(phone_numbers=["09121234567"], voice_id=VOICE)) == 1


def test_a_delay_past_the_read_timeout_is_a_timeout_with_the_call_placed(emulator) -> None:
    admin, _, slept = emulator
    session = in_process_session(admin.application, sleep=slept.append)
    client = BitelClient("t", base_url="http://bitel.test", session=session, timeout=(1.0, 0.5), max_retries=3)
    admin.post("/__admin/faults", json={"kind": "delay", "path": BATCH, "seconds": 2, "times": 1})
    with pytest.raises(APITimeoutError):
        client.batch_call(phone_numbers=["09121234567"], voice_id=VOICE)
    assert slept == [0.5], "waited the read timeout, and did not place the call again"
    assert calls(admin) == 1


def test_a_delay_within_the_read_timeout_answers_after_it(emulator) -> None:
    admin, client, slept = emulator
    admin.post("/__admin/faults", json={"kind": "delay", "path": BATCH, "seconds": 2, "times": 1})
    [record] = client.batch_call(phone_numbers=["09121234567"], voice_id=VOICE)
    assert slept == [2.0] and record.status.name == "WAITING"
