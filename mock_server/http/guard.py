"""Which requests a browser could have been tricked into sending: the rules that refuse them.

Two rules, both pure functions of headers:

- **Host** (against DNS rebinding): a page whose name is made to resolve to
  127.0.0.1 reaches the emulator with its own name in `Host`. While the control
  plane is open (no admin token), only loopback names and addresses
  (`localhost`, 127.0.0.0/8, `[::1]`, any port, any case, a trailing dot) and the
  configured allowed hosts are answered; any other `Host` gets 421. A request
  without `Host` (HTTP/1.0) is answered: browsers always send one.
- **Origin** (against cross-site requests to the control plane): an `Origin`
  that is not the emulator's own (`null` included), or `Sec-Fetch-Site:
  cross-site`/`same-site`, is foreign. Command-line clients send neither.

Requests made in process (no socket, so no browser) are marked by the
transport with `IN_PROCESS_KEY` and are not checked for `Host`. The hook that
applies these rules is the control plane's (`bitel_mock.admin.access`); this
module is plain rules, with no Flask.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable

from bitel_mock.errors import ApiError

IN_PROCESS_KEY = "bitel_mock.in_process"
"""WSGI environ key set by the in-process transport: the request never crossed a socket."""

LOOPBACK_NAME = "localhost"
LOOPBACK_NAMES = frozenset({LOOPBACK_NAME})
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})
DEFAULT_PORTS = {"http": 80, "https": 443}

_HOST = re.compile(r"(?P<name>\[[^\]]*\]|[^\[\]:/?#@\s]*)(?::(?P<port>[0-9]*))?")
_ORIGIN = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)")
_LABEL = r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?"
_HOST_NAME = re.compile(rf"{_LABEL}(\.{_LABEL})*")
_IPV4 = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3}){3}")


class MisdirectedRequest(ApiError):
    """The `Host` names neither this machine nor an allowed host (a DNS-rebinding page would)."""

    code = "MisdirectedRequest"
    status = 421


def _split_host(host: str) -> tuple[str, str] | None:
    """(name, port text) of a `Host` value, the name lower-cased; None when it is not one."""
    match = _HOST.fullmatch(host)
    if match is None or not match["name"]:
        return None
    return match["name"].lower(), match["port"] or ""


def _without_trailing_dot(name: str) -> str:
    return name[:-1] if name.endswith(".") and not name.startswith("[") else name


@functools.lru_cache(maxsize=256)  # asked on every request, nearly always for the same name
def is_loopback_name(name: str) -> bool:
    """`localhost`, an IPv4 address in 127.0.0.0/8, or `[::1]` (lower-case, no trailing dot)."""
    if name == LOOPBACK_NAME:
        return True
    if name.startswith("[") and name.endswith("]"):
        try:
            return ipaddress.IPv6Address(name[1:-1]) == ipaddress.IPv6Address("::1")
        except ValueError:
            return False
    if _IPV4.fullmatch(name):
        try:
            return ipaddress.IPv4Address(name).is_loopback
        except ValueError:
            return False
    return False


def allowed_host(text: str) -> str:
    """An `--allowed-host` value as compared with `Host`: lower-case, without a trailing dot.

    Raises ValueError for anything but a host name or an IP address (no scheme,
    port or path; an IPv6 address in brackets).
    """
    name = _without_trailing_dot(text.strip().lower())
    if name.startswith("[") and name.endswith("]"):
        try:
            ipaddress.IPv6Address(name[1:-1])
        except ValueError:
            raise ValueError(f"{text!r} is not an IPv6 address in brackets") from None
        return name
    if not _HOST_NAME.fullmatch(name):
        raise ValueError(f"{text!r} is not a host name (give a name or address, without scheme, port or path)")
    return name


def host_is_allowed(host: str | None, allowed: Iterable[str] = ()) -> bool:
    """Whether a request with this `Host` header (None: absent) may be answered."""
    if host is None:
        return True
    parts = _split_host(host)
    if parts is None:
        return False
    name = _without_trailing_dot(parts[0])
    return is_loopback_name(name) or name in allowed


def _origin_key(scheme: str, authority: str) -> tuple[str, str, int] | None:
    parts = _split_host(authority)
    if parts is None:
        return None
    scheme = scheme.lower()
    name, port = parts
    if port:
        return scheme, name, int(port)
    default = DEFAULT_PORTS.get(scheme)
    return None if default is None else (scheme, name, default)


def is_same_origin(origin: str, scheme: str, host: str | None) -> bool:
    """Whether `origin` is scheme://host:port of the request itself (`null` never is)."""
    match = _ORIGIN.fullmatch(origin.strip())
    if match is None or host is None:
        return False
    theirs = _origin_key(match["scheme"], match["authority"])
    ours = _origin_key(scheme, host)
    return theirs is not None and theirs == ours


def is_foreign(origins: Iterable[str], fetch_site: str | None, scheme: str, host: str | None) -> bool:
    """Whether a browser sent this request from another site.

    `origins` are the request's `Origin` headers (none for command-line clients),
    `fetch_site` its `Sec-Fetch-Site`, `scheme` and `host` how it reached us.
    """
    if fetch_site is not None and fetch_site.strip().lower() in FOREIGN_FETCH_SITES:
        return True
    return any(not is_same_origin(origin, scheme, host) for origin in origins)


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (a host to listen on, a peer)."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
