"""The control plane under /__admin as one piece: its routes and its access check."""

from __future__ import annotations

from flask import Flask

from bitel_mock.admin import (
    calls_routes,
    clock_routes,
    message_routes,
    routes,
    scenario_routes,
    sms_routes,
    toolkit_routes,
    webhook_routes,
)
from bitel_mock.admin.access import install_admin_access
from bitel_mock.dashboard import routes as dashboard_routes
from bitel_mock.settings import Settings

_ROUTES = (
    routes, clock_routes, scenario_routes, calls_routes, webhook_routes, toolkit_routes, sms_routes,
    message_routes, dashboard_routes,
)


def install_control_plane(app: Flask, settings: Settings) -> None:
    """Serve the control plane on the app (whose emulator, and toolkit for the toolkit's
    routes, are read per request), every request checked by `admin.access` first."""
    for module in _ROUTES:
        app.register_blueprint(module.blueprint)
    install_admin_access(app, settings)
