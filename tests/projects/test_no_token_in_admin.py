"""The control plane names a project by its fingerprint, never by its token: whatever a token
is, no answer of any listing of the control plane contains it, while the listings show its
fingerprint."""

from __future__ import annotations

import string

from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from bitel_mock.tokens import token_fingerprint
from tests.projects.steps import bearer, place_call, project_app, send_message

TOKENS = st.builds(
    lambda body: "tk-" + body, st.text(string.ascii_letters + string.digits + "-._~+/=", min_size=10, max_size=40)
)
"""Tokens long enough, and marked enough, that none can appear in an answer by chance."""


def _admin_get_paths(app: Flask) -> list[str]:
    """Every GET route of the control plane that takes no path parameter."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/__admin") and "GET" in (rule.methods or ()) and not rule.arguments
    )


def _use_the_token_everywhere(app: Flask, token: str) -> None:
    """Calls, messages, a journal entry, a fault and a webhook URL, all made with the token."""
    client = app.test_client()
    place_call(client, token)
    send_message(client, token)
    client.get("/api/v2/voice/status/" + "0" * 32, headers=bearer(token))
    fault = {"kind": "status", "status": 503, "token": token, "path": "/never", "times": 1}
    assert client.post("/__admin/faults", json=fault).status_code == 201
    hook = {"tokens": {token: "http://127.0.0.1:9/hook"}}
    assert client.post("/__admin/webhooks/config", json=hook).status_code == 200


def test_the_listings_walked_include_calls_messages_and_the_journal() -> None:
    paths = _admin_get_paths(project_app())
    assert {"/__admin/calls", "/__admin/sms/messages", "/__admin/requests", "/__admin/faults"} <= set(paths)


@settings(max_examples=25)
@given(token=TOKENS)
def test_no_admin_answer_contains_the_token(token: str) -> None:
    app = project_app()
    _use_the_token_everywhere(app, token)
    client = app.test_client()
    fingerprint = token_fingerprint(token)
    seen_fingerprint = []
    for path in _admin_get_paths(app):
        for query in ("", f"?project={fingerprint}"):
            body = client.get(path + query).get_data(as_text=True)
            assert token not in body, path + query
            seen_fingerprint.append(fingerprint in body)
    assert any(seen_fingerprint)
    for path, key in (("/__admin/calls", "calls"), ("/__admin/sms/messages", "messages"), ("/__admin/requests", "requests")):
        listed = client.get(f"{path}?project={fingerprint}").get_json()[key]
        assert listed and {item["project"] for item in listed} == {fingerprint}
