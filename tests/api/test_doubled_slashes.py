"""A path with a doubled slash is not redirected (werkzeug's redirect is an HTML page that no
error handler sees): it is simply not found, in JSON."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app

PATHS = [
    "/api/v2/voice/single", "/api/v2/voice/batch", "/api/v2/voice/status/abc",
    "/__admin/requests/count", "/__admin/scenarios/x", "/__admin/faults/x",
    "/__admin/webhooks/deliveries/1/redeliver", "/__admin/clock/advance",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return create_app().test_client()


@given(path=st.sampled_from(PATHS), at=st.integers(0, 60), method=st.sampled_from(METHODS))
def test_a_doubled_slash_anywhere_is_a_json_404(client: FlaskClient, path: str, at: int, method: str) -> None:
    # Not the leading one: the test client would read "//name/..." as a URL naming a host.
    slashes = [i for i, char in enumerate(path) if char == "/" and i > 0]
    cut = slashes[at % len(slashes)]
    answer = client.open(path[:cut] + "/" + path[cut:], method=method)
    assert answer.status_code == 404
    assert answer.mimetype == "application/json"
