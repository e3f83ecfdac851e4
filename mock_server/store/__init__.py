"""Where the emulator keeps its state, behind one interface (`Store`)."""

from mock_server.store.base import Store
from mock_server.store.memory import MemoryStore

__all__ = ["MemoryStore", "Store"]
