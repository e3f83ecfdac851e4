"""The application factory: `create_app(settings)` builds one emulator as a Flask app."""

from __future__ import annotations

from flask import Flask, request

from bitel_mock.admin import calls_routes, clock_routes, routes, scenario_routes, webhook_routes
from bitel_mock.admin.access import install_admin_access
from bitel_mock.admin.toolkit_routes import blueprint as toolkit_blueprint
from bitel_mock.domain.clock import Clock
from bitel_mock.emulator import EXTENSION_KEY, Emulator
from bitel_mock.http.api import build_blueprint
from bitel_mock.http.errors import is_admin_path, register_error_handlers
from bitel_mock.http.toolkit_hooks import install_toolkit
from bitel_mock.settings import Settings
from bitel_mock.store.base import Store
from bitel_mock.tokens import TokenCheck
from bitel_mock.webhooks.sender import Sender


def _date_each_request_once(app: Flask) -> None:
    """Every request of the emulated API reads the clock once (the control plane, which
    moves the clock, reads it live)."""
    clock = app.extensions[EXTENSION_KEY].clock

    @app.before_request
    def pin_clock() -> None:
        if not is_admin_path(request.path):
            clock.pin()

    @app.teardown_request
    def unpin_clock(_: BaseException | None) -> None:
        clock.unpin()


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    sender: Sender | None = None,
) -> Flask:
    """A Flask app serving one emulator with these settings (defaults when None).

    `sender` replaces the HTTP sender of webhooks. On a real clock the app
    starts a daemon thread that delivers webhooks once some are configured;
    `app.extensions["bitel_mock"].close()` stops it.
    """
    settings = settings or Settings()
    app = Flask("bitel_mock")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    emulator = Emulator(settings, store=store, clock=clock, sender=sender)
    app.extensions[EXTENSION_KEY] = emulator
    app.before_request(emulator.first_request)
    app.register_blueprint(build_blueprint(TokenCheck(settings.tokens)))
    for admin in (routes, clock_routes, scenario_routes, calls_routes, webhook_routes):
        app.register_blueprint(admin.blueprint)
    register_error_handlers(app)
    _date_each_request_once(app)
    # --- Testing toolkit: admin access, journal, faults, rate limits ---
    install_admin_access(app, settings.admin_token)
    install_toolkit(app)
    app.register_blueprint(toolkit_blueprint)
    return app
