"""bitel-mock's emulator of the Bitel voice API: `create_app` builds it."""

from mock_server.app import create_app
from mock_server.version import __version__

__all__ = ["__version__", "create_app"]
