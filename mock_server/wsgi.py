"""The module-level app for WSGI servers (`gunicorn mock_server.wsgi:app`), set by BITEL_MOCK_* variables.

Its store is BITEL_MOCK_STORE (default: the SQLite file of `bitel-mock serve`),
so every worker a WSGI server starts shares the same calls.
"""

from mock_server.app import create_app
from mock_server.cli import build_parser, serve_options_from, settings_from
from mock_server.store.url import open_store

_args = build_parser().parse_args(["serve"])
app = create_app(settings_from(_args), store=open_store(serve_options_from(_args).store_url))
