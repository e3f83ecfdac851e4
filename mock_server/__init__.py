"""bitel-mock's emulator of the Bitel voice API: `create_app` builds it."""

from bitel_mock.app import create_app
from bitel_mock.version import __version__

__all__ = ["__version__", "create_app"]
