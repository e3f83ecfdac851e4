"""A request is read once: its body is parsed as JSON once for the journal and the route, and
the journal names its headers exactly as werkzeug's `request.headers` does."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import EnvironHeaders
from werkzeug.test import EnvironBuilder

from bitel_mock import strictjson
from bitel_mock.http.toolkit_hooks import _headers
from tests.conftest import AUTH, VOICE_ID


def test_a_placing_request_parses_its_body_once(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[bytes] = []
    loads = strictjson.loads

    def counted(raw: bytes) -> Any:
        parsed.append(raw)
        return loads(raw)

    monkeypatch.setattr(strictjson, "loads", counted)
    body = {"phoneNumbers": ["09121234567", "09121234568"], "voiceId": VOICE_ID}
    assert client.post("/api/v2/voice/batch", json=body, headers=AUTH).status_code == 200
    assert len(parsed) == 1
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert entry["body"] == body and entry["phoneNumbers"] == body["phoneNumbers"]


def test_a_body_that_is_not_json_is_refused_and_journaled_as_text(client: FlaskClient) -> None:
    answer = client.post("/api/v2/voice/batch", data=b"{not json", headers=AUTH)
    assert answer.status_code == 400 and answer.get_json()["error"] == "InvalidRequest"
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert (entry["body"], entry["bodyText"]) == (None, "{not json")


names = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_-]{0,12}\Z")
values = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20)


@given(
    st.dictionaries(names, values, max_size=8),
    st.none() | st.just("application/json"),
    st.booleans(),
)
def test_the_journals_headers_are_werkzeugs(
    headers: dict[str, str], content_type: str | None, body: bool
) -> None:
    environ = EnvironBuilder(
        path="/api/v2/voice/batch",
        method="POST",
        headers=headers,
        content_type=content_type,
        data=b"{}" if body else None,
    ).get_environ()
    assert list(_headers(environ)) == list(EnvironHeaders(environ).items())
