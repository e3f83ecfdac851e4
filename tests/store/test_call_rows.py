"""A stored request is decoded once while it is among the newest read: a call polled again
is found without decoding its request again; what is kept decoded is bounded."""

from __future__ import annotations

from typing import Any

import pytest

from bitel_mock.domain.model import PlacedCalls
from bitel_mock.store import call_rows
from tests.store.batches import batch_of


def test_a_request_read_again_is_not_decoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    call_rows._decoded.cache_clear()
    decoded: list[Any] = []
    loads = call_rows._loads
    monkeypatch.setattr(call_rows, "_loads", lambda text: decoded.append(text) or loads(text))
    batch = batch_of(3, busy_every=2)
    text = call_rows.dumps_batch(batch)
    expected = list(PlacedCalls(batch, 40))
    for _ in range(3):
        assert [call_rows.stored_call(40, text, sequence) for sequence in (40, 41, 42)] == expected
        assert call_rows.stored_call(40, text, 43) is None
        assert list(call_rows.stored_calls(40, text)) == expected
    assert len(decoded) == 1


def test_what_is_kept_decoded_is_bounded() -> None:
    assert call_rows.DECODED_KEPT == 256
    call_rows._decoded.cache_clear()
    for count in range(1, call_rows.DECODED_KEPT + 20):
        call_rows.stored_call(0, call_rows.dumps_batch(batch_of(count)), 0)
    assert call_rows._decoded.cache_info().currsize == call_rows.DECODED_KEPT
