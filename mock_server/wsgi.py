"""The module-level app for WSGI servers (`gunicorn mock_server.wsgi:app`), set by BITEL_MOCK_* variables."""

from mock_server.app import create_app
from mock_server.cli import build_parser, settings_from

app = create_app(settings_from(build_parser().parse_args(["serve"])))
