"""Where a webhook may not go: this emulator itself, link-local and cloud-metadata addresses.

A webhook URL is a request the emulator makes on someone's behalf. Aimed at
the emulator's own port (`/__admin/reset`), it drives its control plane;
aimed at a metadata service (169.254.169.254, `metadata.google.internal`),
it posts to the machine's cloud credentials. So a URL is checked when it is
configured, and the address is checked again as each delivery connects (a
name may resolve elsewhere by then): every address a name resolves to must
be allowed. Loopback and private receivers on other ports are the normal
case and stay allowed.

Name resolution is a parameter (`Resolver`), so tests need no DNS; the
system one (`system_resolver`) gives up after RESOLVE_TIMEOUT_SECONDS, as
getaddrinfo itself has no timeout.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Sequence[str]]
"""A host name -> the addresses it resolves to; raises ResolutionError when it cannot."""

RESOLVE_TIMEOUT_SECONDS = 2.0
"""How long the system resolver waits for one name."""
MAX_PENDING_LOOKUPS = 8
"""Lookups that may hang at once (each in its own thread) before further ones are refused."""

METADATA_NAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
"""Names of cloud metadata services, refused without resolving them."""
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, Oracle, OpenStack
        "169.254.170.2",  # AWS ECS task credentials
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure's host agent
        "192.0.0.192",  # Oracle Cloud (classic)
    )
)
LINK_LOCAL_NETWORKS = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))
LOCALHOST_ADDRESSES = ("127.0.0.1", "::1")
"""What `localhost` and `*.localhost` stand for, without asking a resolver (RFC 6761)."""
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class TargetRefused(ValueError):
    """A webhook target this emulator does not send to; the message says why."""


class ResolutionError(OSError):
    """A name could not be resolved (now, or within the timeout)."""


_lookups = threading.BoundedSemaphore(MAX_PENDING_LOOKUPS)


def system_resolver(host: str, timeout: float = RESOLVE_TIMEOUT_SECONDS) -> list[str]:
    """The addresses getaddrinfo gives for `host`, or ResolutionError after `timeout` seconds.

    The lookup runs in a daemon thread, so a resolver that hangs costs that thread, not the
    caller; at most MAX_PENDING_LOOKUPS may hang at once.
    """
    if not _lookups.acquire(blocking=False):
        raise ResolutionError(f"cannot resolve {host!r}: too many lookups are under way")
    done = threading.Event()
    outcome: list[list[str] | BaseException] = []

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            outcome.append(list(dict.fromkeys(str(info[4][0]) for info in infos)))
        except (OSError, UnicodeError) as exc:
            outcome.append(exc)
        finally:
            _lookups.release()
            done.set()

    threading.Thread(target=look_up, name="bitel-mock:resolve", daemon=True).start()
    if not done.wait(timeout):
        raise ResolutionError(f"cannot resolve {host!r}: no answer within {timeout:g} s")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise ResolutionError(f"cannot resolve {host!r}: {result}")
    return result


def _address(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _name(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


@dataclass(frozen=True)
class TargetPolicy:
    """The targets refused for a webhook, given where this emulator listens."""

    own_host: str | None = None
    """The address (or name) the emulator listens on; None: not known (nothing of its own)."""
    own_port: int | None = None
    allowed_hosts: frozenset[str] = frozenset()
    """Hosts a URL may name (empty: any); the refusals apply to these too."""
    resolver: Resolver = field(default=system_resolver, compare=False, repr=False)

    def check_url(self, url: str) -> None:
        """Refuse (TargetRefused) a configured URL aimed where webhooks may not go.

        A name that cannot be resolved now is accepted: every delivery checks it again.
        """
        host, port = _host_and_port(url)
        try:
            self.allowed_addresses(host, port)
        except ResolutionError:
            return
        except TargetRefused as exc:
            raise TargetRefused(f"webhook URL {url!r} is refused: {exc}") from None

    def check_urls(self, urls: Iterable[str]) -> None:
        for url in urls:
            self.check_url(url)

    def allowed_addresses(self, host: str, port: int) -> list[str]:
        """The addresses `host` stands for, if every one may be sent to on `port`.

        Raises TargetRefused, or ResolutionError when a name does not resolve.
        """
        name = _name(host)
        if name in METADATA_NAMES:
            raise TargetRefused(f"{name} is a cloud metadata service")
        literal = _address(name)
        if literal is not None:
            addresses = [name]
        elif name == "localhost" or name.endswith(".localhost"):
            addresses = list(LOCALHOST_ADDRESSES)
        else:
            addresses = list(self.resolver(name))
        if not addresses:
            raise ResolutionError(f"cannot resolve {name!r}: no address")
        for text in addresses:
            address = _address(text)
            if address is None:
                raise ResolutionError(f"{name!r} resolved to {text!r}, not an address")
            reason = self._refusal(address, port)
            if reason is not None:
                said = name if literal is not None else f"{name} resolves to {text}, which"
                raise TargetRefused(f"{said} is {reason}")
        return addresses

    def _refusal(self, address: IPAddress, port: int) -> str | None:
        if address in METADATA_ADDRESSES:
            return "a cloud metadata address"
        if any(address in network for network in LINK_LOCAL_NETWORKS):
            return "a link-local address (169.254.0.0/16, fe80::/10), where metadata services answer"
        if self.own_port is not None and port == self.own_port and self._is_own(address):
            return (
                f"this emulator itself (it listens on {self.own_host}:{self.own_port}): "
                "a webhook there would drive its own control plane"
            )
        return None

    def _is_own(self, address: IPAddress) -> bool:
        return address.is_loopback or address.is_unspecified or address in self._own_addresses

    @functools.cached_property
    def _own_addresses(self) -> frozenset[IPAddress]:
        """The listening address, resolved; on every interface, this machine's own addresses."""
        host = _name(self.own_host or "")
        names = [socket.gethostname()] if host in _WILDCARDS else [host]
        found: set[IPAddress] = set()
        for name in names:
            literal = _address(name)
            if literal is not None:
                found.add(literal)
                continue
            try:
                found.update(filter(None, map(_address, self.resolver(name))))
            except ResolutionError:
                continue  # loopback and wildcard addresses are refused on the port all the same
        return frozenset(found)


def _host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if not parts.hostname:
        raise TargetRefused(f"{url!r} names no host")
    return parts.hostname, parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)
