"""Choosing a store from a URL: `memory`, `sqlite:///PATH` or `redis://HOST:PORT/DB`."""

from __future__ import annotations

from bitel_mock.extras import missing_extra
from bitel_mock.store.base import Store

DEFAULT_SQLITE_PATH = "bitel-mock.sqlite3"
"""The file `bitel-mock serve` uses when no store is given: in the working directory."""
DEFAULT_STORE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"
MEMORY_STORE = "memory"
"""The store URL of a store kept in the process itself (lost when it ends)."""


class StoreUrlError(ValueError):
    """A store URL of no known form."""


def sqlite_path(url: str) -> str:
    """The file of a `sqlite:///PATH` URL: `sqlite:///rel.sqlite3`, `sqlite:////abs/file.sqlite3`."""
    path = url.removeprefix("sqlite:///")
    if not path:
        raise StoreUrlError(f"{url!r} names no file (use sqlite:///relative or sqlite:////absolute)")
    return path


def check_store_url(url: str) -> str:
    """The URL unchanged if it is of a known form, else StoreUrlError."""
    if url == MEMORY_STORE or url.startswith(("redis://", "rediss://", "unix://")):
        return url
    if url.startswith("sqlite:///"):
        sqlite_path(url)
        return url
    raise StoreUrlError(f"unknown store {url!r} (use memory, sqlite:///PATH or redis://HOST:PORT/DB)")


def open_store(url: str) -> Store:
    """The store this URL names (SQLite files and Redis keys are created on first use)."""
    check_store_url(url)
    if url == MEMORY_STORE:
        from bitel_mock.store.memory import MemoryStore

        return MemoryStore()
    if url.startswith("sqlite:///"):
        from bitel_mock.store.sqlite import SqliteStore

        return SqliteStore(sqlite_path(url))
    try:
        from bitel_mock.store.redis import RedisStore
    except ImportError as exc:
        missing = missing_extra(exc, "redis", "a redis:// store")
        if missing is None:
            raise
        raise missing from None
    return RedisStore(url)


def close_last(url: str) -> None:
    """What the last process using the store does once every other has stopped: a SQLite
    file takes its log in (`fold_log`); the other stores have nothing to do."""
    if url.startswith("sqlite:///"):
        from bitel_mock.store.sqlite import fold_log

        fold_log(sqlite_path(url))
