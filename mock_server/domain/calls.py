"""Placing calls and reporting on them: the verbs of the emulated API."""

from __future__ import annotations

from mock_server.domain.clock import Clock
from mock_server.domain.ids import IdCodec
from mock_server.domain.model import Call, CallRecord, CallRequest, CallStatus
from mock_server.domain.phone import NumberPolicy
from mock_server.errors import ApiError, InvalidRequest, InvalidServer, NotFound
from mock_server.store.base import Store


class CallService:
    """Accepts call requests, keeps the calls, and reports their records."""

    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        ids: IdCodec,
        numbers: NumberPolicy,
        server_ids: frozenset[str],
        number_error: type[ApiError] = InvalidRequest,
    ) -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        self.numbers = numbers
        self.server_ids = server_ids
        self.number_error = number_error

    def place(self, request: CallRequest) -> list[Call]:
        """Accept one call per number, in order, or raise and keep nothing."""
        local_numbers = []
        for position, number in enumerate(request.phone_numbers):
            local = self.numbers.to_local(number)
            if local is None:
                raise self.number_error(f"number {position} is in no accepted form")
            local_numbers.append(local)
        if request.server_id is not None and request.server_id not in self.server_ids:
            raise InvalidServer(f"unknown serverId {request.server_id!r}")

        request_date = int(self.clock.now())
        first = self.store.allocate_sequence(len(local_numbers))
        calls = [
            Call(
                id=self.ids.encode(first + offset),
                sequence=first + offset,
                phone_number=sent,
                local_number=local,
                kind=request.kind,
                request_date=request_date,
                retry_count=request.retry_count,
                voice_id=request.voice_id,
                text=request.text,
                server_id=request.server_id,
                repeat_count=request.repeat_count,
            )
            for offset, (sent, local) in enumerate(
                zip(request.phone_numbers, local_numbers, strict=True)
            )
        ]
        self.store.add_calls(calls)
        return calls

    def record(self, call: Call) -> CallRecord:
        """The call's record now."""
        return CallRecord(
            id=call.id,
            phone_number=call.phone_number,
            status=CallStatus.WAITING,
            bill_sec=0,
            request_date=call.request_date,
            execution_date=0,
            price=0.0,
        )

    def status(self, call_id: str) -> CallRecord:
        """The record of the call with this id, or NotFound."""
        sequence = self.ids.decode(call_id)
        call = None if sequence is None else self.store.get_call(sequence)
        if call is None or call.id != call_id:
            raise NotFound(f"no call has id {call_id!r}")
        return self.record(call)
