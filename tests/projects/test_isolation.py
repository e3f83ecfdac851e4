"""A token is a project: a call or message placed with one token is NotFound to another, as an
unknown id is, unless the emulator shares projects (`shared_projects`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.projects import in_project, is_project, visible_to
from bitel_mock.settings import Settings
from bitel_mock.tokens import token_fingerprint
from tests.projects.steps import (
    NOT_FOUND,
    TOKEN_A,
    TOKEN_B,
    call_status,
    message_status,
    place_call,
    project_app,
    send_message,
)

UNKNOWN_ID = "0" * 32


def test_projects_are_kept_apart_by_default() -> None:
    assert Settings().shared_projects is False


def test_a_call_is_found_by_its_own_token_and_not_by_another() -> None:
    client = project_app().test_client()
    call_id = place_call(client, TOKEN_A)
    own_status, own = call_status(client, call_id, TOKEN_A)
    assert own_status == 200 and own["result"]["id"] == call_id
    assert call_status(client, call_id, TOKEN_B) == (404, NOT_FOUND)


def test_another_projects_call_is_answered_exactly_as_an_unknown_id() -> None:
    client = project_app().test_client()
    call_id = place_call(client, TOKEN_A)
    theirs = client.get(f"/api/v2/voice/status/{call_id}", headers={"Authorization": f"Bearer {TOKEN_B}"})
    unknown = client.get(f"/api/v2/voice/status/{UNKNOWN_ID}", headers={"Authorization": f"Bearer {TOKEN_B}"})
    assert (theirs.status_code, theirs.get_data()) == (unknown.status_code, unknown.get_data())
    assert theirs.headers.get("Content-Type") == unknown.headers.get("Content-Type")


def test_a_message_is_found_by_its_own_token_and_not_by_another() -> None:
    client = project_app().test_client()
    message_id = send_message(client, TOKEN_A)
    own_status, own = message_status(client, message_id, TOKEN_A)
    assert own_status == 200 and own["result"]["id"] == message_id
    assert message_status(client, message_id, TOKEN_B) == (404, NOT_FOUND)
    assert message_status(client, UNKNOWN_ID, TOKEN_B) == (404, NOT_FOUND)


def test_each_token_finds_its_own_records_side_by_side() -> None:
    client = project_app().test_client()
    calls = {token: place_call(client, token) for token in (TOKEN_A, TOKEN_B)}
    messages = {token: send_message(client, token) for token in (TOKEN_A, TOKEN_B)}
    for token, other in ((TOKEN_A, TOKEN_B), (TOKEN_B, TOKEN_A)):
        assert call_status(client, calls[token], token)[0] == 200
        assert call_status(client, calls[other], token)[0] == 404
        assert message_status(client, messages[token], token)[0] == 200
        assert message_status(client, messages[other], token)[0] == 404


def test_shared_projects_let_every_token_see_every_record() -> None:
    client = project_app(shared_projects=True).test_client()
    call_id = place_call(client, TOKEN_A)
    message_id = send_message(client, TOKEN_A)
    seen_call = call_status(client, call_id, TOKEN_B)
    seen_message = message_status(client, message_id, TOKEN_B)
    assert seen_call[0] == 200 and seen_call[1]["result"]["id"] == call_id
    assert seen_message[0] == 200 and seen_message[1]["result"]["id"] == message_id
    assert call_status(client, UNKNOWN_ID, TOKEN_B) == (404, NOT_FOUND)


def test_with_configured_tokens_the_rule_still_holds() -> None:
    client = project_app(tokens=frozenset({TOKEN_A, TOKEN_B})).test_client()
    call_id = place_call(client, TOKEN_A)
    assert call_status(client, call_id, TOKEN_A)[0] == 200
    assert call_status(client, call_id, TOKEN_B) == (404, NOT_FOUND)
    assert call_status(client, call_id, "not-configured")[1]["error"] == "Unauthorized"


def test_a_refused_lookup_changes_nothing() -> None:
    app = project_app()
    client = app.test_client()
    call_id = place_call(client, TOKEN_A)
    before = client.get("/__admin/calls").get_json()
    assert call_status(client, call_id, TOKEN_B)[0] == 404
    assert client.get("/__admin/calls").get_json() == before
    assert call_status(client, call_id, TOKEN_A)[0] == 200


TOKENS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40)


@given(owner=TOKENS, other=TOKENS)
def test_any_two_tokens_see_only_their_own_calls(owner: str, other: str) -> None:
    client = project_app().test_client()
    call_id = place_call(client, owner)
    message_id = send_message(client, owner)
    assert call_status(client, call_id, owner)[0] == 200
    assert message_status(client, message_id, owner)[0] == 200
    expected = 200 if token_fingerprint(other) == token_fingerprint(owner) else 404
    assert call_status(client, call_id, other)[0] == expected
    assert message_status(client, message_id, other)[0] == expected


FINGERPRINTS = st.text("0123456789abcdef", min_size=16, max_size=16)
OWNERS = st.one_of(st.none(), FINGERPRINTS)


@given(owner=OWNERS, viewer=OWNERS)
def test_visibility_rule(owner: str | None, viewer: str | None) -> None:
    assert visible_to(owner, viewer) == (viewer is None or owner is None or owner == viewer)
    assert visible_to(owner, None)
    assert in_project(owner, None)
    assert in_project(owner, viewer) == (viewer is None or owner == viewer)


@given(token=st.text(min_size=1, max_size=40))
def test_every_fingerprint_names_a_project_and_no_token_like_text_does(token: str) -> None:
    assert is_project(token_fingerprint(token))
    assert is_project(token) == (len(token) == 16 and set(token) <= set("0123456789abcdef"))


@pytest.mark.parametrize("text", ["", "A" * 16, "0123456789abcde", "0123456789abcdef0", "g" * 16])
def test_what_is_no_project(text: str) -> None:
    assert not is_project(text)
