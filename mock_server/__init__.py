"""bitel-mock's emulator of the Bitel voice API: `create_app` builds it.

`create_app` is imported on first use, so that `bitel-mock serve`'s master process, which
only opens the store and starts the workers, never loads Flask (each worker does).
"""

from typing import TYPE_CHECKING, Any

from bitel_mock.version import __version__

if TYPE_CHECKING:
    from bitel_mock.app import create_app

__all__ = ["__version__", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from bitel_mock.app import create_app

        return create_app
    raise AttributeError(f"module 'bitel_mock' has no attribute {name!r}")
