"""The admin clock routes answer the domain's refusal to go backwards as a 409."""

from __future__ import annotations

from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.settings import Settings

START = 1_700_000_000


def test_setting_the_clock_backwards_is_a_409_naming_both_times_and_changes_nothing() -> None:
    client: FlaskClient = create_app(
        Settings(seed=3, clock="manual", start_time=START)
    ).test_client()
    assert client.post("/__admin/clock/advance", json={"seconds": 100}).status_code == 200
    refused = client.post("/__admin/clock/set", json={"now": START + 99})
    assert refused.status_code == 409
    assert refused.get_json() == {
        "error": "ClockBackwards",
        "message": f"the clock never goes backwards: it is {START + 100}, asked for {START + 99}",
    }
    assert client.get("/__admin/clock").get_json() == {"now": START + 100, "mode": "manual"}
