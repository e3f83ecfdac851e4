"""HTTP(S) connections for webhooks that connect only to addresses a TargetPolicy allows.

The check and the connection use one resolution: the name is resolved and
every address checked as the connection opens, then the socket goes to one of
those very addresses. Resolving again in between (as a check before sending
would) lets a name answer differently the second time (DNS rebinding). TLS
still names and verifies the URL's host.

Built on urllib3's connection classes (the ones `requests` uses): `_new_conn`
opens the socket and `_dns_host` is the name it connects to.
"""

from __future__ import annotations

import socket
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from bitel_mock.webhooks.targets import TargetPolicy


class _CheckedConnection:
    """Mixed into urllib3's connections: the socket goes only to allowed addresses."""

    targets: TargetPolicy
    _dns_host: str
    port: int

    def _new_conn(self) -> socket.socket:
        name = self._dns_host
        addresses = self.targets.allowed_addresses(name, self.port)  # raises TargetRefused
        refused: NewConnectionError | None = None
        for address in addresses:
            self._dns_host = address  # `host` (TLS name, Host header) is read after: restored
            try:
                return super()._new_conn()  # type: ignore[misc]
            except NewConnectionError as exc:  # refused there: try the next address
                refused = exc
            finally:
                self._dns_host = name
        assert refused is not None
        raise refused


def checked_adapter(targets: TargetPolicy) -> HTTPAdapter:
    """A `requests` adapter whose connections go only where `targets` allows."""
    http_connection = type(
        "CheckedHTTPConnection", (_CheckedConnection, HTTPConnection), {"targets": targets}
    )
    https_connection = type(
        "CheckedHTTPSConnection", (_CheckedConnection, HTTPSConnection), {"targets": targets}
    )
    pools = {
        "http": type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_connection}),
        "https": type(
            "CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_connection}
        ),
    }

    class CheckedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

    return CheckedAdapter()
