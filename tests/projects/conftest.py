"""The store-suite fixtures (one store of each kind: memory, SQLite, Redis) for project tests."""

from tests.store.conftest import make_store, redis_prefix, store  # noqa: F401  (fixtures)
