"""Every store selects journal entries by `project` itself (memory, SQLite in SQL, Redis over
its index), and counts them the same way."""

from __future__ import annotations

import pytest

from bitel_mock.store.base import Store
from bitel_mock.store.journal_filter import EVERYTHING, INDEXED_FIELDS, JournalFilter
from tests.projects.steps import PROJECT_A, PROJECT_B
from tests.store.conftest import STORE_KINDS


def _entry(path: str, project: str | None) -> dict:
    return {"method": "GET", "path": path, "status": 200, "error": None, "phoneNumbers": [], "project": project}


def test_project_is_an_indexed_field() -> None:
    assert "project" in INDEXED_FIELDS


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
def test_each_store_filters_the_journal_by_project(store: Store) -> None:
    for path, project in (("/a1", PROJECT_A), ("/b1", PROJECT_B), ("/a2", PROJECT_A), ("/none", None)):
        store.append_journal(_entry(path, project), 100)
    total, entries = store.journal_page(JournalFilter(project=PROJECT_A), limit=10)
    assert (total, [entry["path"] for entry in entries]) == (2, ["/a2", "/a1"])
    total, entries = store.journal_page(JournalFilter(project=PROJECT_B, path="/b1"), limit=10)
    assert (total, [entry["path"] for entry in entries]) == (1, ["/b1"])
    assert store.journal_page(JournalFilter(project=PROJECT_A, path="/b1"), limit=10)[0] == 0
    assert store.journal_page(EVERYTHING, limit=0)[0] == 4
