"""Who may use the control plane: anyone over loopback, or holders of the admin token.

With `--admin-token` set, every /__admin request except `/__admin/health` must
carry it, as `Authorization: Bearer <admin token>` or `X-Admin-Token: <admin
token>`; otherwise 401. Without one the emulator only listens on loopback
(the CLI refuses anything else), and answers admin requests from loopback
peers only. The emulated API's own bearer check is independent of this.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Flask, request

from bitel_mock.errors import AdminError
from bitel_mock.http.errors import ADMIN_PREFIX, is_admin_path
from bitel_mock.tokens import bearer_token

ADMIN_TOKEN_HEADER = "X-Admin-Token"
OPEN_PATHS = frozenset({ADMIN_PREFIX + "/health"})
LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _presented() -> str | None:
    return request.headers.get(ADMIN_TOKEN_HEADER) or bearer_token(request.headers.get("Authorization"))


def install_admin_access(app: Flask, admin_token: str | None) -> None:
    """Check every control-plane request before its route runs."""

    def check() -> None:
        path = request.path
        if not is_admin_path(path) or path in OPEN_PATHS:
            return
        if admin_token is None:
            peer = request.remote_addr
            if peer is not None and not is_loopback(peer):
                raise AdminError("Unauthorized", "the control plane answers loopback only; set --admin-token", 401)
            return
        presented = _presented()
        if presented is None:
            raise AdminError(
                "Unauthorized",
                f"the control plane needs the admin token (Authorization: Bearer <token> or {ADMIN_TOKEN_HEADER})",
                401,
            )
        if not hmac.compare_digest(presented.encode(), admin_token.encode()):
            raise AdminError("Unauthorized", "the admin token is not accepted", 401)

    app.before_request(check)
