"""Where the emulator keeps its state, behind one interface (`Store`): memory, SQLite or Redis."""

from bitel_mock.store.base import Store
from bitel_mock.store.memory import MemoryStore
from bitel_mock.store.url import DEFAULT_STORE_URL, open_store

__all__ = ["DEFAULT_STORE_URL", "MemoryStore", "Store", "open_store"]
