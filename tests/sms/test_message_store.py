"""Every store keeps messages and templates alike: memory, SQLite and Redis (the store-suite
fixtures), across a reopening, a reset, and trouble."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bitel_mock.domain.ids import IdCodec
from bitel_mock.domain.sms_model import Message, MessageKind, SmsStatus, SmsTemplate
from bitel_mock.domain.sms_parts import part_count
from bitel_mock.domain.sms_plan import SmsTiming, plan_message
from bitel_mock.store import MemoryStore, Store
from bitel_mock.store.errors import StoreReplaced, StoreUnavailable
from bitel_mock.store.sqlite import SqliteStore
from bitel_mock.webhooks.model import PendingEvent
from tests.factories import plan_for
from tests.store.conftest import STORE_KINDS
from tests.store.sqlite_faults import failing_connection

OUTCOMES = [SmsStatus.DELIVERED, SmsStatus.DELIVERY_FAILED, SmsStatus.BLACKLIST, SmsStatus.ERROR]


def _messages(store: Store, count: int, kind: MessageKind = MessageKind.BATCH) -> list[Message]:
    first = store.allocate_sequence(count)
    ids = IdCodec(store.id_key())
    batch = ids.campaign_id(first) if kind.has_batch else None
    texts = ["سلام\nHi", "x" * 200, "Hi"]
    return [
        Message(
            id=ids.encode(first + offset),
            sequence=first + offset,
            phone_number=f"0912{offset:07d}",
            local_number=f"0912{offset:07d}",
            kind=kind,
            gateway_number="10009909",
            text=texts[offset % 3],
            request_date=1_700_000_000,
            part_count=part_count(texts[offset % 3]),
            plan=plan_message(
                request_date=1_700_000_000,
                outcome=OUTCOMES[offset % 4],
                part_count=part_count(texts[offset % 3]),
                timing=SmsTiming(),
            ),
            batch_id=batch,
            owner="e3b98a4da31a127d" if offset % 2 else None,
            template_id=1234 if kind is MessageKind.TEMPLATE else None,
        )
        for offset in range(count)
    ]


@pytest.mark.parametrize("make_store", STORE_KINDS, indirect=True)
class TestEveryStore:
    def test_every_message_of_every_request_is_found_by_its_sequence(self, store: Store) -> None:
        requests = [
            _messages(store, 1, MessageKind.SINGLE),
            _messages(store, 100),
            _messages(store, 7, MessageKind.P2P),
        ]
        for messages in requests:
            store.add_messages(messages)
        for messages in requests:
            for message in messages:
                assert store.get_message(message.sequence) == message
        assert store.list_messages() == [m for messages in requests for m in messages]

    def test_calls_and_messages_share_the_sequence_and_never_meet(self, store: Store) -> None:
        before = _messages(store, 2)
        store.add_messages(before)
        call_sequence = store.allocate_sequence(1)
        after = _messages(store, 3)
        store.add_messages(after)
        assert call_sequence == before[-1].sequence + 1 == after[0].sequence - 1
        assert store.get_message(call_sequence) is None
        assert all(store.get_call(m.sequence) is None for m in before + after)
        assert store.get_message(after[-1].sequence + 1) is None
        assert store.count_calls() == 0

    def test_a_request_keeps_its_messages_and_its_events_together(self, store: Store) -> None:
        messages = _messages(store, 3)
        events = [PendingEvent(m.id, m.sequence, m.plan.final_at, 1, m.owner) for m in messages]
        store.add_messages(messages, events)
        assert store.count_pending_events() == 3
        claimed = store.claim_due_events(2_000_000_000, 10, "me", 30)
        assert sorted(event.call_id for event in claimed) == sorted(m.id for m in messages)

    def test_templates_are_kept_replaced_and_marked_deleted(self, store: Store) -> None:
        assert store.sms_templates() == {}
        store.put_sms_template(42, SmsTemplate(42, "Hi {1}", pending=True))
        store.put_sms_template(42, SmsTemplate(42, "سلام {1}"))
        store.put_sms_template(1234, None)
        assert store.sms_templates() == {42: SmsTemplate(42, "سلام {1}"), 1234: None}

    def test_a_reopened_store_keeps_messages_and_templates(
        self, make_store: Callable[[], Store]
    ) -> None:
        store = make_store()
        messages = _messages(store, 5, MessageKind.P2P)
        store.add_messages(messages)
        store.put_sms_template(7, SmsTemplate(7, "{1}{2}"))
        reopened = make_store()
        assert [reopened.get_message(m.sequence) for m in messages] == messages
        assert reopened.sms_templates() == {7: SmsTemplate(7, "{1}{2}")}

    def test_a_reset_forgets_messages_and_templates_but_never_reuses_a_number(
        self, store: Store
    ) -> None:
        messages = _messages(store, 4)
        store.add_messages(messages)
        store.put_sms_template(7, SmsTemplate(7, "x"))
        store.reset()
        assert (store.list_messages(), store.sms_templates()) == ([], {})
        assert store.get_message(messages[0].sequence) is None
        assert store.allocate_sequence(1) == messages[-1].sequence + 1


def test_a_wiped_memory_store_refuses_to_find_messages() -> None:
    store = MemoryStore()
    messages = _messages(store, 2)
    store.add_messages(messages)
    store.wipe()
    with pytest.raises(StoreReplaced):
        store.get_message(messages[0].sequence)


def test_a_full_disk_keeps_no_message_and_is_unavailable(tmp_path: Path) -> None:
    connection = failing_connection()
    store = SqliteStore(tmp_path / "sms.sqlite3", factory=connection)
    kept = _messages(store, 2)
    store.add_messages(kept)
    with_events = _messages(store, 3)
    alone = _messages(store, 1)  # one row, no events: a statement of its own
    connection.failing = True
    for messages, events in (
        (with_events, [PendingEvent(m.id, m.sequence, 0, 1, None) for m in with_events]),
        (alone, []),
    ):
        with pytest.raises(StoreUnavailable, match="database or disk is full") as caught:
            store.add_messages(messages, events)
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    with pytest.raises(StoreUnavailable):
        store.put_sms_template(1, SmsTemplate(1, "x"))
    connection.failing = False
    assert store.list_messages() == kept and store.count_pending_events() == 0
    assert store.sms_templates() == {}


def test_the_sqlite_schema_has_the_sms_tables_at_version_5(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "sms.sqlite3")
    tables = {
        row[0]
        for row in sqlite3.connect(store.path).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert {"sms_requests", "sms_templates"} <= tables
    assert store.schema_version() >= 5


def test_a_version_4_file_is_upgraded_and_keeps_its_calls(tmp_path: Path) -> None:
    from bitel_mock.domain.model import Call, CallKind
    from bitel_mock.store.sqlite import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    old = SqliteStore(path, migrations=MIGRATIONS[:4])
    first = old.allocate_sequence(1)
    call = Call(
        id=IdCodec(old.id_key()).encode(first),
        sequence=first,
        phone_number="09121234567",
        local_number="09121234567",
        kind=CallKind.SINGLE,
        request_date=1_700_000_000,
        retry_count=1,
        plan=plan_for(1_700_000_000),
    )
    old.add_calls([call])
    old.close()
    upgraded = SqliteStore(path)
    assert upgraded.schema_version() == len(MIGRATIONS)
    assert upgraded.get_call(first) == call
    messages = _messages(upgraded, 2)
    upgraded.add_messages(messages)
    assert messages[0].sequence == first + 1 and upgraded.list_messages() == messages


def test_events_that_cannot_be_kept_take_their_messages_with_them(tmp_path: Path) -> None:
    connection = failing_connection(lambda sql: "webhook_events" in sql)
    store = SqliteStore(tmp_path / "sms.sqlite3", factory=connection)
    messages = _messages(store, 2)
    connection.failing = True
    with pytest.raises(StoreUnavailable):
        store.add_messages(messages, [PendingEvent(m.id, m.sequence, 0, 1, None) for m in messages])
    connection.failing = False
    assert store.list_messages() == [] and store.count_pending_events() == 0
    assert not connection.opened[0].in_transaction
