"""A SQLite file from before schema version 4 keyed a token's state by 32 hex digits of its
sha256; opened by this release, that state is keyed by the token's fingerprint and still works."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bitel_mock.store.sqlite import MIGRATIONS, SqliteStore
from bitel_mock.tokens import token_fingerprint
from bitel_mock.toolkit.faults import FaultBook, RequestFacts, parse_fault

TOKEN = "sk-live-older-release"
OLD_KEY = hashlib.sha256(TOKEN.encode()).hexdigest()[:32]
NOW = 1_700_000_000.0


def _older_file(path: Path) -> None:
    old = SqliteStore(path, migrations=MIGRATIONS[:3])
    fault = parse_fault({"kind": "status", "status": 503, "token": TOKEN})
    old.add_fault({**fault, "tokenKey": OLD_KEY})
    assert old.take_token(OLD_KEY, 1.0, 1, NOW) == 0.0
    old.add_owned_calls(OLD_KEY, ["c1", "c2"])
    old.close()


def test_an_older_files_token_state_is_rekeyed_by_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    _older_file(path)
    store = SqliteStore(path)
    assert store.schema_version() == len(MIGRATIONS)
    key = token_fingerprint(TOKEN)
    assert [fault["tokenKey"] for fault in store.list_faults()] == [key]
    assert store.owned_calls(key) == ["c1", "c2"]
    assert store.take_token(key, 1.0, 1, NOW) > 0  # the bucket emptied before the upgrade
    book = FaultBook(store, seed=1)
    assert book.fire(RequestFacts("GET", "/api/v2/voice/status/x", [], "someone-else")) is None
    fired = book.fire(RequestFacts("GET", "/api/v2/voice/status/x", [], TOKEN))
    assert fired is not None and fired.fault["status"] == 503


def test_a_fault_without_a_token_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    old = SqliteStore(path, migrations=MIGRATIONS[:3])
    stored = old.add_fault(parse_fault({"kind": "status", "status": 500, "path": "/api/v2/voice/batch"}))
    old.close()
    [fault] = SqliteStore(path).list_faults()
    assert fault == {**stored, "remaining": None}
