"""Where the emulator keeps its state, behind one interface (`Store`): memory, SQLite or Redis."""

from mock_server.store.base import Store
from mock_server.store.memory import MemoryStore
from mock_server.store.url import DEFAULT_STORE_URL, open_store

__all__ = ["DEFAULT_STORE_URL", "MemoryStore", "Store", "open_store"]
