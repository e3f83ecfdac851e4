"""Journal pages from every store: the same entries as filtering the whole journal, and only
the page's entries decoded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bitel_mock.store import Store
from bitel_mock.store.journal_filter import EVERYTHING, JournalFilter
from tests.store.conftest import STORE_KINDS

pytestmark = pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)

ENTRIES = st.lists(
    st.fixed_dictionaries(
        {
            "method": st.sampled_from(["GET", "POST"]),
            "path": st.sampled_from(["/a", "/b"]),
            "status": st.sampled_from([200, 400, None]),
            "error": st.sampled_from([None, "InvalidRequest"]),
            "phoneNumbers": st.lists(st.sampled_from(["0912", "0935", "09'1"]), max_size=2),
        }
    ),
    max_size=12,
)
FILTERS = st.builds(
    JournalFilter,
    method=st.sampled_from([None, "GET", "POST"]),
    path=st.sampled_from([None, "/a", "/b"]),
    status=st.sampled_from([None, 200, 400]),
    error=st.sampled_from([None, "InvalidRequest"]),
    phone_number=st.sampled_from([None, "0912", "09'1"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=ENTRIES,
    where=FILTERS,
    limit=st.integers(0, 5),
    offset=st.integers(0, 4),
    before_back=st.one_of(st.none(), st.integers(0, 6)),
    size=st.integers(1, 10),
)
def test_a_page_is_the_filtered_journal_cut_to_the_page(
    store: Store, entries: list[dict[str, Any]], where: JournalFilter, limit: int, offset: int,
    before_back: int | None, size: int,
) -> None:
    store.clear_journal()
    numbers = [store.append_journal(entry, limit=size) for entry in entries]
    everything = store.journal_entries()
    assert len(everything) == min(len(entries), size)
    matching = [entry for entry in everything if where.matches(entry)]
    before = None if before_back is None or not numbers else numbers[-1] + 1 - before_back
    older = [entry for entry in matching if before is None or entry["seq"] < before]
    total, page = store.journal_page(where, limit=limit, offset=offset, before=before)
    assert total == len(matching)
    assert page == older[offset : offset + limit]


def test_an_empty_filter_matches_entries_without_the_filtered_fields(store: Store) -> None:
    store.append_journal({"path": "/x"}, limit=5)
    assert store.journal_page(EVERYTHING, limit=5)[0] == 1
    assert store.journal_page(JournalFilter(status=200), limit=5) == (0, [])
    assert store.journal_page(JournalFilter(phone_number="0912"), limit=5) == (0, [])


BIG = "x" * 5000


def test_a_page_decodes_only_its_own_entries(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(40):
        store.append_journal(
            {"method": "POST", "path": f"/{n % 2}", "status": 200, "error": None,
             "phoneNumbers": [f"09{n}"], "bodyText": BIG},
            limit=100,
        )
    decoded: list[Any] = []
    loads = json.loads

    def counting_loads(text: Any, *args: Any, **kwargs: Any) -> Any:
        value = loads(text, *args, **kwargs)
        if isinstance(value, dict) and value.get("bodyText") == BIG:
            decoded.append(value)
        return value

    monkeypatch.setattr(json, "loads", counting_loads)
    total, page = store.journal_page(EVERYTHING, limit=1)
    assert (total, [entry["path"] for entry in page]) == (40, ["/1"])
    total, page = store.journal_page(JournalFilter(path="/0", phone_number="0938"), limit=3, offset=0)
    assert (total, [entry["phoneNumbers"] for entry in page]) == (1, [["0938"]])
    total, page = store.journal_page(JournalFilter(path="/0"), limit=2, before=30)
    assert (total, [entry["seq"] for entry in page]) == (20, [29, 27])
    if store.__class__.__name__ != "MemoryStore":  # the memory store decodes nothing
        assert len(decoded) == 4
