"""Webhook configuration rules: backoff, which URL applies, which URLs are accepted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.tokens import token_fingerprint
from bitel_mock.webhooks.config import MAX_BACKOFF_SECONDS, WebhookConfig, check_url


@given(backoff=st.integers(0, MAX_BACKOFF_SECONDS), attempt=st.integers(1, 40))
def test_backoff_doubles_from_the_first_retry_up_to_the_cap(backoff: int, attempt: int) -> None:
    config = WebhookConfig(backoff_seconds=backoff)
    assert config.backoff(1) == backoff
    assert config.backoff(attempt) == min(backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
    assert config.backoff(attempt) <= config.backoff(attempt + 1) <= MAX_BACKOFF_SECONDS


@given(token=st.text(min_size=1), other=st.text(min_size=1))
def test_a_token_url_wins_over_the_default_and_only_for_that_token(token: str, other: str) -> None:
    config = WebhookConfig(url="http://127.0.0.1:1/default").updated(
        {"tokens": {token: "http://127.0.0.1:2/own"}}
    )
    assert config.url_for(token_fingerprint(token)) == "http://127.0.0.1:2/own"
    expected = "http://127.0.0.1:2/own" if other == token else "http://127.0.0.1:1/default"
    assert config.url_for(token_fingerprint(other)) == expected
    assert config.url_for(None) == "http://127.0.0.1:1/default"
    assert list(config.to_json()["tokenUrls"]) == [token_fingerprint(token)]


def test_forgetting_a_token_url_falls_back_to_the_default() -> None:
    config = WebhookConfig().updated({"tokens": {"t": "http://127.0.0.1:2/own"}})
    assert config.enabled and config.url_for(token_fingerprint("t")) == "http://127.0.0.1:2/own"
    config = config.updated({"tokens": {"t": None}})
    assert not config.enabled and config.url_for(token_fingerprint("t")) is None


def test_a_configuration_survives_its_json_form() -> None:
    config = WebhookConfig(url="http://localhost:9/h", retries=5, negative_balance=True).updated(
        {"tokens": {"t": "http://localhost:8/t"}, "faults": {"duplicates": 2, "outOfOrder": True}}
    )
    assert WebhookConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/x",
        "127.0.0.1:9000/x",
        "http:///x",
        "http://u:p@127.0.0.1/x",
        "http://127.0.0.1:70000/x",
        "http://" + "a" * 2048,
    ],
)
def test_urls_that_cannot_be_used_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        check_url(url)


def test_allowed_hosts_restrict_the_url() -> None:
    assert check_url("http://127.0.0.1:9/x", frozenset({"127.0.0.1"})) == "http://127.0.0.1:9/x"
    with pytest.raises(ValueError, match="not an allowed webhook host"):
        check_url("http://example.com/x", frozenset({"127.0.0.1"}))
