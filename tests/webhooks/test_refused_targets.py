"""Webhooks aimed at the emulator itself or at cloud metadata: refused when configured (admin
API, command line), and refused and journaled at delivery when a name resolves there later."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bitel_mock.app import create_app
from bitel_mock.cli import build_parser, main, settings_from
from bitel_mock.settings import DEFAULT_PORT, Settings
from bitel_mock.webhooks.sender import HttpSender
from bitel_mock.webhooks.targets import ResolutionError, TargetPolicy
from tests.conftest import AUTH
from tests.webhooks.conftest import START, advance, configure, deliveries, place
from tests.webhooks.receiver import Receiver

FOUR_HOURS = 4 * 3600
# The admin API's contract takes host names and IPv4 addresses; IPv6 ones go through the
# command line (below) and the policy's own tests.
REFUSED = [
    (f"http://127.0.0.1:{DEFAULT_PORT}/__admin/reset", "this emulator itself"),
    (f"http://localhost:{DEFAULT_PORT}/__admin/clock/advance", "this emulator itself"),
    ("http://169.254.169.254/latest/meta-data", "cloud metadata address"),
    ("http://169.254.10.20:9000/hook", "link-local address"),
    ("http://metadata.google.internal/", "cloud metadata service"),
    ("http://2852039166/latest/meta-data", "resolves to 169.254.169.254"),
]


@pytest.fixture
def plain() -> Iterator[FlaskClient]:
    """An emulator with the default settings (listening on 127.0.0.1:8080), no webhooks."""
    app = create_app(Settings(seed=7, clock="manual", start_time=START))
    yield app.test_client()
    app.extensions["bitel_mock"].close()


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_the_admin_api_refuses_a_url_aimed_where_webhooks_may_not_go(
    plain: FlaskClient, url: str, reason: str
) -> None:
    before = plain.get("/__admin/webhooks/config").get_json()
    response = plain.post("/__admin/webhooks/config", json={"url": url})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "InvalidRequest"
    assert body["message"].startswith(f"webhook URL {url!r} is refused: ") and reason in body["message"]
    assert plain.get("/__admin/webhooks/config").get_json() == before


def test_the_admin_api_refuses_a_per_token_url_and_keeps_the_rest(plain: FlaskClient) -> None:
    response = plain.post(
        "/__admin/webhooks/config",
        json={"retries": 7, "tokens": {"t": "http://169.254.169.254/latest/meta-data"}},
    )
    assert response.status_code == 400
    config = plain.get("/__admin/webhooks/config").get_json()
    assert config["tokenUrls"] == {} and config["retries"] == 3


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9000/hook", "http://10.0.0.5/hook", "http://localhost:9000/hook"]
)
def test_the_admin_api_accepts_loopback_and_private_receivers(plain: FlaskClient, url: str) -> None:
    assert configure(plain, url=url)["url"] == url


def test_a_refused_reset_url_leaves_calls_and_rules_alone(plain: FlaskClient) -> None:
    [call] = place(plain, ["09121234567"])
    plain.post("/__admin/scenarios", json={"pattern": "^0935", "attempts": ["ERROR"]})
    reset = {"url": f"http://127.0.0.1:{DEFAULT_PORT}/__admin/reset"}
    assert plain.post("/__admin/webhooks/config", json=reset).status_code == 400
    advance(plain, FOUR_HOURS)
    assert plain.get(f"/api/v2/voice/status/{call['id']}", headers=AUTH).status_code == 200
    assert len(plain.get("/__admin/scenarios").get_json()["scenarios"]) == 1
    assert deliveries(plain) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--webhook-url", f"http://127.0.0.1:{DEFAULT_PORT}/__admin/reset"],
        ["--port", "9100", "--webhook-url", "http://[::1]:9100/"],
        ["--webhook-url", "http://169.254.169.254/latest/meta-data"],
        ["--webhook-url", "http://[fe80::1]:9000/hook"],
        ["--token-webhook", "t=http://metadata.google.internal/"],
        ["--webhook-allow-host", "169.254.169.254", "--webhook-url", "http://169.254.169.254/"],
    ],
)
def test_the_command_line_refuses_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == 1
    error = capsys.readouterr().err
    assert error.startswith("bitel-mock: webhook URL ") and " is refused: " in error
    assert error.count("\n") == 1


# --- At delivery: the name is resolved again, and the socket goes to what was checked ----


class Names:
    """A resolver the test changes, as a DNS server may answer differently later."""

    def __init__(self, **names: list[str]) -> None:
        self.names = {name.replace("_", "."): addresses for name, addresses in names.items()}
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        if host not in self.names:
            raise ResolutionError(f"cannot resolve {host!r}")
        return self.names[host]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


@pytest.fixture
def names() -> Names:
    return Names(hooks_test=["127.0.0.1"])


@pytest.fixture
def named(receiver: Receiver, names: Names) -> Iterator[tuple[FlaskClient, str]]:
    """An emulator whose webhooks go to `hooks.test` (the receiver), resolved by `names`."""
    targets = TargetPolicy("127.0.0.1", DEFAULT_PORT, resolver=names)
    app: Flask = create_app(
        Settings(seed=7, clock="manual", start_time=START, webhook_backoff=10),
        sender=HttpSender(targets),
    )
    app.extensions["bitel_mock"].webhook_settings.targets = targets  # the same resolver
    client = app.test_client()
    url = f"http://hooks.test:{urlsplit(receiver.url).port}/hook"
    configure(client, url=url)
    yield client, url
    app.extensions["bitel_mock"].close()


def only(client: FlaskClient, call: dict[str, Any]) -> dict[str, Any]:
    [delivery] = deliveries(client, callId=call["id"])
    return delivery


def test_a_name_that_now_resolves_to_metadata_is_refused_and_journaled(
    named: tuple[FlaskClient, str], receiver: Receiver, names: Names
) -> None:
    client, url = named
    [first] = place(client, ["09121234567"])
    advance(client, FOUR_HOURS)
    assert only(client, first)["outcome"] == "delivered"
    assert receiver.requests[0].headers["Host"] == f"hooks.test:{urlsplit(url).port}"

    names.names["hooks.test"] = ["169.254.169.254"]
    [second] = place(client, ["09121234568"])
    advance(client, FOUR_HOURS)
    refused = only(client, second)
    assert refused["outcome"] == "skipped" and refused["url"] == url
    assert refused["error"] == (
        "refused: hooks.test resolves to 169.254.169.254, which is a cloud metadata address"
    )
    assert (refused["status"], refused["nextAttemptAt"], refused["body"]) == (None, None, None)
    advance(client, FOUR_HOURS)  # not retried: nothing more is due
    assert only(client, second)["id"] == refused["id"]
    assert client.get("/__admin/webhooks/config").get_json()["pendingEvents"] == 0
    assert len(receiver.requests) == 1


def test_a_redelivery_to_a_refused_target_sends_nothing(
    named: tuple[FlaskClient, str], receiver: Receiver, names: Names
) -> None:
    client, _ = named
    [call] = place(client, ["09121234567"])
    advance(client, FOUR_HOURS)
    names.names["hooks.test"] = ["127.0.0.1", "fe80::1"]  # every address must be allowed
    response = client.post(f"/__admin/webhooks/deliveries/{only(client, call)['id']}/redeliver")
    assert response.status_code == 200
    again = response.get_json()
    assert again["kind"] == "redelivery" and again["outcome"] == "skipped"
    assert again["error"].startswith("refused: hooks.test resolves to fe80::1")
    assert len(receiver.requests) == 1


def test_a_name_that_does_not_resolve_at_delivery_fails_like_a_connection_and_is_retried(
    named: tuple[FlaskClient, str], receiver: Receiver, names: Names
) -> None:
    client, _ = named
    del names.names["hooks.test"]
    [call] = place(client, ["09121234567"])
    advance(client, FOUR_HOURS)
    [failed] = deliveries(client, callId=call["id"])
    assert failed["outcome"] == "retrying" and "cannot resolve 'hooks.test'" in failed["error"]
    names.names["hooks.test"] = ["127.0.0.1"]
    advance(client, 10)
    assert [d["outcome"] for d in deliveries(client, callId=call["id"])] == ["delivered", "retrying"]
    assert len(receiver.requests) == 1


def test_the_connection_goes_to_the_address_checked_without_resolving_again(
    receiver: Receiver, names: Names, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def recording(host: Any, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    sender = HttpSender(TargetPolicy("127.0.0.1", DEFAULT_PORT, resolver=names))
    url = f"http://hooks.test:{urlsplit(receiver.url).port}/hook"
    assert sender.send(url, b"{}", {"Content-Type": "application/json"}, 5.0).ok
    assert names.asked == ["hooks.test"]
    assert "hooks.test" not in looked_up  # the socket was opened to 127.0.0.1 itself


@pytest.mark.parametrize(
    "url", ["http://[::1]:9000/hook", "http://127.0.0.1:9000/hook", "http://192.168.1.10/hook"]
)
def test_the_command_line_accepts_loopback_and_private_receivers(url: str) -> None:
    settings = settings_from(build_parser().parse_args(["serve", "--webhook-url", url]))
    assert settings.webhook_config().url == url


def test_a_sender_built_without_a_policy_still_refuses_metadata() -> None:
    result = HttpSender().send("http://169.254.169.254/latest/meta-data", b"{}", {}, 5.0)
    assert result.refused and result.status is None
    assert result.error == "refused: 169.254.169.254 is a cloud metadata address"
