"""Properties of the request guard: never a 5xx, and the same decision as a plain oracle.

The oracles below say the rules in the simplest way (urllib parses origins);
the guard must agree with them on any `Host`, `Origin` or `Sec-Fetch-Site`.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from tests.security.helpers import emulator

ALLOWED = frozenset({"sandbox.test"})
APP = emulator(allowed_hosts=ALLOWED)
CLIENT = APP.test_client()

HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
NAMES = st.sampled_from(
    ["localhost", "LOCALHOST", "localhost.", "localhost..", "127.0.0.1", "127.9.8.7", "128.0.0.1",
     "0.0.0.0", "[::1]", "[::2]", "[::1", "sandbox.test", "Sandbox.Test.", "sandbox.test.evil",
     "evil.example", "127.0.0.1.evil", "", "local host", "a@localhost"]
)
PORTS = st.sampled_from(["", ":", ":80", ":8080", ":65535", ":x", ":80:80"])
HOSTS = st.one_of(st.builds(lambda n, p: n + p, NAMES, PORTS), HEADER_TEXT)
FETCH_SITES = st.one_of(
    st.none(), st.sampled_from(["cross-site", "same-site", "same-origin", "none", "CROSS-SITE", " same-site "]), HEADER_TEXT
)
PATHS = st.sampled_from(
    [("GET", "/__admin/calls"), ("GET", "/__admin/health"), ("POST", "/__admin/reset"),
     ("GET", "/api/v2/voice/status/0123"), ("POST", "/api/v2/voice/single"), ("GET", "/elsewhere")]
)


def host_oracle(host: str | None) -> bool:
    """May a request with this Host be answered (no admin token, `sandbox.test` allowed)?"""
    if host is None:
        return True
    if host.startswith("["):
        inner, closed, rest = host[1:].partition("]")
        if not closed or not re.fullmatch(r"(:[0-9]*)?", rest):
            return False
        try:
            return ipaddress.ip_address(inner) == ipaddress.ip_address("::1")
        except ValueError:
            return False
    name, _, port = host.partition(":")
    if not re.fullmatch(r"[0-9]*", port):
        return False
    name = name.lower().removesuffix(".")
    if name == "localhost" or name in ALLOWED:
        return True
    try:
        return ipaddress.IPv4Address(name) in ipaddress.IPv4Network("127.0.0.0/8")
    except ValueError:
        return False


def same_origin_oracle(origin: str, host: str) -> bool:
    try:
        theirs, ours = urlsplit(origin.strip()), urlsplit("//" + host)
        if theirs.scheme.lower() != "http" or theirs.path or "?" in origin or "#" in origin:
            return False
        if theirs.username is not None or theirs.hostname is None:
            return False
        return (theirs.hostname, theirs.port or 80) == (ours.hostname, ours.port or 80)
    except ValueError:
        return False


def foreign_oracle(origin: str | None, fetch_site: str | None, host: str) -> bool:
    if fetch_site is not None and fetch_site.strip().lower() in {"cross-site", "same-site"}:
        return True
    return origin is not None and not same_origin_oracle(origin, host)


def _headers(**given: str | None) -> dict[str, str]:
    return {name.replace("_", "-"): value for name, value in given.items() if value is not None}


@given(host=HOSTS, request=PATHS)
def test_host_decision_matches_the_oracle_and_is_never_5xx(host: str, request: tuple[str, str]) -> None:
    method, path = request
    response = CLIENT.open(path, method=method, headers={"Host": host, "Authorization": "Bearer t"})
    assert response.status_code < 500
    assert response.content_type == "application/json"
    assert (response.status_code == 421) == (not host_oracle(host)), response.get_json()


OWN_HOSTS = st.sampled_from(["localhost", "localhost:8080", "127.0.0.1:80", "[::1]:9", "sandbox.test:1"])
ORIGINS = st.one_of(
    st.none(),
    st.sampled_from(["null", "http://evil.example", "file://", "http://localhost/", "http://localhost?x"]),
    st.builds(
        lambda scheme, name, port: f"{scheme}://{name}{port}",
        st.sampled_from(["http", "HTTP", "https", "ws"]),
        st.sampled_from(["localhost", "LocalHost", "127.0.0.1", "[::1]", "sandbox.test", "evil.example", ""]),
        st.sampled_from(["", ":80", ":8080", ":9", ":1", ":443", ":x"]),
    ),
    HEADER_TEXT,
)


@given(host=OWN_HOSTS, origin=ORIGINS, fetch_site=FETCH_SITES, request=PATHS)
def test_site_decision_matches_the_oracle_and_is_never_5xx(
    host: str, origin: str | None, fetch_site: str | None, request: tuple[str, str]
) -> None:
    method, path = request
    headers = {"Host": host, "Authorization": "Bearer t", **_headers(Origin=origin, Sec_Fetch_Site=fetch_site)}
    response = CLIENT.open(path, method=method, headers=headers)
    assert response.status_code < 500
    assert response.content_type == "application/json"
    refused = path.startswith("/__admin") and foreign_oracle(origin, fetch_site, host)
    assert (response.status_code == 403) == refused, (response.status_code, response.get_json())
