"""The webhook target policy on its own: which addresses and names are refused, after
resolving (a fake resolver: no DNS), and the system resolver's bounds."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from bitel_mock.store import MemoryStore
from bitel_mock.webhooks import targets as targets_module
from bitel_mock.webhooks.config import WebhookConfig
from bitel_mock.webhooks.outbox import WebhookSettings
from bitel_mock.webhooks.targets import (
    MAX_PENDING_LOOKUPS,
    METADATA_NAMES,
    RESOLVE_TIMEOUT_SECONDS,
    ResolutionError,
    TargetPolicy,
    TargetRefused,
    system_resolver,
)

OWN_PORT = 8080
NAMES = {
    "receiver": ["10.0.0.7"],
    "hooks.internal": ["192.168.1.10"],
    "sneaky.example": ["169.254.7.7"],
    "dual.example": ["192.168.1.10", "fe80::1"],
    "metadata-v6.example": ["fd00:ec2::254"],
}


def fake_resolver(host: str) -> list[str]:
    if host not in NAMES:
        raise ResolutionError(f"cannot resolve {host!r}: unknown to the test")
    return NAMES[host]


POLICY = TargetPolicy("127.0.0.1", OWN_PORT, resolver=fake_resolver)


def test_the_documented_bounds() -> None:
    assert RESOLVE_TIMEOUT_SECONDS == 2.0
    assert MAX_PENDING_LOOKUPS == 8
    assert {"metadata", "metadata.google.internal"} <= METADATA_NAMES


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://127.0.0.1:{OWN_PORT}/__admin/reset", "this emulator itself"),
        (f"http://[::1]:{OWN_PORT}/", "this emulator itself"),
        (f"http://localhost:{OWN_PORT}/hook", "this emulator itself"),
        (f"http://hooks.localhost:{OWN_PORT}/hook", "this emulator itself"),
        (f"http://127.0.0.2:{OWN_PORT}/hook", "this emulator itself"),
        (f"http://0.0.0.0:{OWN_PORT}/hook", "this emulator itself"),
        (f"http://[::ffff:127.0.0.1]:{OWN_PORT}/hook", "this emulator itself"),
        ("http://169.254.169.254/latest/meta-data", "cloud metadata address"),
        ("http://169.254.1.1:9000/hook", "link-local address"),
        ("http://[fe80::1]:9000/hook", "link-local address"),
        ("http://[fd00:ec2::254]/latest/meta-data", "cloud metadata address"),
        ("http://100.100.100.200/latest/meta-data", "cloud metadata address"),
        ("http://[::ffff:169.254.169.254]/", "cloud metadata address"),
        ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata service"),
        ("http://METADATA.google.internal./", "cloud metadata service"),
        ("http://metadata/computeMetadata/v1/", "cloud metadata service"),
        ("https://sneaky.example/hook", "sneaky.example resolves to 169.254.7.7"),
        ("http://dual.example:9000/hook", "dual.example resolves to fe80::1"),
        ("http://metadata-v6.example/", "cloud metadata address"),
    ],
)
def test_refused_targets_are_refused_saying_why(url: str, reason: str) -> None:
    with pytest.raises(TargetRefused, match=reason) as refused:
        POLICY.check_url(url)
    assert str(refused.value).startswith(f"webhook URL {url!r} is refused: ")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://[::1]:9000/hook",
        "http://localhost:9000/hook",
        "http://10.0.0.5/hook",
        f"http://10.0.0.5:{OWN_PORT}/hook",  # another machine on the emulator's port
        "http://hooks.internal:8443/hook",
        "https://receiver/hook",
        "http://not-resolvable-now:9000/hook",  # checked again at each delivery
    ],
)
def test_loopback_and_private_receivers_stay_allowed(url: str) -> None:
    POLICY.check_url(url)


def test_a_resolved_name_gives_its_addresses() -> None:
    assert POLICY.allowed_addresses("hooks.internal", 80) == ["192.168.1.10"]
    with pytest.raises(ResolutionError):
        POLICY.allowed_addresses("not-resolvable-now", 80)


def test_no_own_address_without_a_port() -> None:
    anywhere = TargetPolicy(resolver=fake_resolver)
    anywhere.check_url(f"http://127.0.0.1:{OWN_PORT}/hook")
    with pytest.raises(TargetRefused):
        anywhere.check_url("http://169.254.169.254/")


def test_on_every_interface_this_machines_own_addresses_are_its_own() -> None:
    machine = socket.gethostname()
    names = {machine: ["172.18.0.2"]}
    policy = TargetPolicy("0.0.0.0", OWN_PORT, resolver=lambda host: names[host])
    with pytest.raises(TargetRefused, match="this emulator itself"):
        policy.check_url(f"http://172.18.0.2:{OWN_PORT}/__admin/reset")
    policy.check_url(f"http://172.18.0.3:{OWN_PORT}/hook")  # another container
    policy.check_url("http://172.18.0.2:9000/hook")


def test_a_named_listening_host_is_resolved_to_find_its_own_address() -> None:
    policy = TargetPolicy("receiver", OWN_PORT, resolver=fake_resolver)
    with pytest.raises(TargetRefused, match="this emulator itself"):
        policy.check_url(f"http://10.0.0.7:{OWN_PORT}/")
    policy.check_url(f"http://10.0.0.8:{OWN_PORT}/")


def test_the_allowlist_narrows_but_never_opens_a_refused_target() -> None:
    policy = TargetPolicy(
        "127.0.0.1", OWN_PORT, frozenset({"169.254.169.254"}), resolver=fake_resolver
    )
    settings = WebhookSettings(MemoryStore(), WebhookConfig(), policy)
    with pytest.raises(TargetRefused):
        settings.update({"url": "http://169.254.169.254/"})
    with pytest.raises(ValueError, match="not an allowed webhook host"):
        settings.update({"url": "http://127.0.0.1:9000/hook"})
    assert settings.current().url is None


def test_run_time_configuration_checks_new_urls_by_resolving_them() -> None:
    settings = WebhookSettings(MemoryStore(), WebhookConfig(), POLICY)
    with pytest.raises(TargetRefused, match=r"sneaky\.example resolves to 169\.254\.7\.7"):
        settings.update({"url": "http://sneaky.example/hook"})
    with pytest.raises(TargetRefused, match="cloud metadata"):
        settings.update({"tokens": {"t": "http://metadata.google.internal/"}})
    assert settings.current() == WebhookConfig()
    assert settings.update({"url": "http://hooks.internal:9000/hook"}).url == (
        "http://hooks.internal:9000/hook"
    )


# --- The system resolver: bounded in time and in hanging lookups -------------------------


@pytest.fixture
def hanging_getaddrinfo(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """getaddrinfo that blocks until the test sets the event (as a dead DNS server would)."""
    release = threading.Event()
    real = socket.getaddrinfo

    def hang(host: str, *args: object, **kwargs: object) -> object:
        if host.endswith(".hang"):
            release.wait(10)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(targets_module.socket, "getaddrinfo", hang)
    yield release
    release.set()
    # Every hung lookup gives its slot back before the next test resolves anything.
    slots = targets_module._lookups
    for _ in range(MAX_PENDING_LOOKUPS):
        assert slots.acquire(timeout=10)
    for _ in range(MAX_PENDING_LOOKUPS):
        slots.release()


def test_a_lookup_that_hangs_gives_up_after_the_timeout(hanging_getaddrinfo: threading.Event) -> None:
    with pytest.raises(ResolutionError, match=r"no answer within 0\.05 s"):
        system_resolver("dns-down.hang", timeout=0.05)


def test_lookups_that_hang_are_bounded(hanging_getaddrinfo: threading.Event) -> None:
    for n in range(MAX_PENDING_LOOKUPS):
        with pytest.raises(ResolutionError, match="no answer"):
            system_resolver(f"dns-down-{n}.hang", timeout=0.01)
    with pytest.raises(ResolutionError, match="too many lookups"):
        system_resolver("one-more.hang", timeout=5)  # refused at once, not after 5 s


def test_the_system_resolver_reads_numeric_forms_like_the_connection_would() -> None:
    assert system_resolver("2852039166") == ["169.254.169.254"]  # 169.254.169.254 as a number
    with pytest.raises(TargetRefused, match=r"resolves to 169\.254\.169\.254"):
        TargetPolicy("127.0.0.1", OWN_PORT).check_url("http://2852039166/latest/meta-data")
