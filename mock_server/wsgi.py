"""The module-level app for WSGI servers (`gunicorn bitel_mock.wsgi:app`), set by BITEL_MOCK_* variables.

Its store is BITEL_MOCK_STORE (default: the SQLite file of `bitel-mock serve`),
so every worker a WSGI server starts shares the same calls.
"""

from bitel_mock.app import create_app
from bitel_mock.cli import build_parser, serve_options_from, settings_from
from bitel_mock.store.url import open_store

_args = build_parser().parse_args(["serve"])
app = create_app(settings_from(_args), store=open_store(serve_options_from(_args).store_url))
