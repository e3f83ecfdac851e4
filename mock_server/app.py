"""The application factory: `create_app(settings)` builds one emulator as a Flask app."""

from __future__ import annotations

from flask import Flask

from bitel_mock.admin.plane import install_control_plane
from bitel_mock.domain.clock import Clock
from bitel_mock.emulator import EXTENSION_KEY, Emulator
from bitel_mock.http.api import install_api
from bitel_mock.http.errors import register_error_handlers
from bitel_mock.http.express import ExpressLane
from bitel_mock.http.toolkit_hooks import install_toolkit
from bitel_mock.settings import Settings
from bitel_mock.store.base import Store
from bitel_mock.webhooks.sender import Sender


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
    # No static files, and no automatic OPTIONS answer: an OPTIONS request meets the same
    # JSON 405 (with `Allow`) as any other method a route does not take.
    app = Flask("bitel_mock", static_folder=None)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    # "//" is not merged into "/": werkzeug would answer a 308 redirect as an HTML page,
    # which no error handler sees; a path with "//" is simply not found.
    app.url_map.merge_slashes = False
    emulator = Emulator(settings, store=store, clock=clock, sender=sender)
    app.extensions[EXTENSION_KEY] = emulator
    app.before_request(emulator.first_request)
    register_error_handlers(app)
    # Hooks run in the order installed; the control plane's access check puts itself first.
    install_api(app, settings)
    install_control_plane(app, settings)
    toolkit = install_toolkit(app)
    app.wsgi_app = ExpressLane(app.wsgi_app, settings, emulator, toolkit)  # type: ignore[method-assign]
    return app
