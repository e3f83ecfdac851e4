"""The codec round-trips any frozen dataclass of plain values, enums, tuples and dataclasses."""

from __future__ import annotations

import dataclasses
import enum
import json
import math

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.domain.model import Call, CallKind, CallRecord, Plan
from bitel_mock.store import codec


class Colour(enum.Enum):
    RED = "red"
    BLUE = 2


@dataclasses.dataclass(frozen=True, slots=True)
class Attempt:
    at: int
    status: Colour
    price: float


@dataclasses.dataclass(frozen=True, slots=True)
class Planned:
    name: str
    attempts: tuple[Attempt, ...]
    pair: tuple[int, str]
    maybe: Attempt | None = None
    flag: bool = False
    either: int | str = 0


texts = st.text(max_size=20)
finite = st.floats(allow_nan=False, allow_infinity=False)
attempts = st.builds(Attempt, at=st.integers(), status=st.sampled_from(Colour), price=finite)
planned = st.builds(
    Planned,
    name=texts,
    attempts=st.lists(attempts, max_size=4).map(tuple),
    pair=st.tuples(st.integers(), texts),
    maybe=st.none() | attempts,
    flag=st.booleans(),
    either=st.integers() | texts,
)
calls = st.builds(
    Call,
    id=texts,
    sequence=st.integers(min_value=0, max_value=(1 << 62) - 1),
    phone_number=texts,
    local_number=texts,
    kind=st.sampled_from(CallKind),
    request_date=st.integers(min_value=0),
    retry_count=st.integers(min_value=0, max_value=10),
    voice_id=st.none() | texts,
    text=st.none() | texts,
    server_id=st.none() | texts,
    repeat_count=st.none() | st.integers(min_value=0),
    plan=st.from_type(Plan).filter(lambda plan: math.isfinite(plan.price)),
)
records = st.from_type(CallRecord).filter(lambda record: math.isfinite(record.price))


@given(planned)
def test_nested_dataclasses_round_trip(value: Planned) -> None:
    assert codec.loads(codec.dumps(value), Planned) == value


@given(calls)
def test_calls_round_trip(call: Call) -> None:
    assert codec.loads(codec.dumps(call), Call) == call


@given(records)
def test_records_round_trip(record: CallRecord) -> None:
    assert codec.loads(codec.dumps(record), CallRecord) == record


def test_a_value_written_before_a_field_existed_takes_the_default() -> None:
    old = '{"name":"n","attempts":[],"pair":[1,"x"]}'
    assert codec.loads(old, Planned) == Planned(name="n", attempts=(), pair=(1, "x"))


def test_floats_stay_floats() -> None:
    value = Attempt(at=1, status=Colour.BLUE, price=2.0)
    decoded = codec.loads(codec.dumps(value), Attempt)
    assert type(decoded.price) is float and decoded == value


@given(st.lists(planned, max_size=5) | st.lists(planned, min_size=2, max_size=4).map(lambda v: v[:1] * len(v)))
def test_tables_round_trip_row_by_row(values: list[Planned]) -> None:
    table = json.loads(codec.dumps_table(Planned, values))
    assert codec.table_size(table) == len(values)
    assert [codec.decode_table_row(Planned, table, index) for index in range(len(values))] == values


def test_a_table_written_before_a_field_existed_takes_the_default() -> None:
    old = {"size": 1, "same": {}, "fields": ["name", "attempts", "pair"], "rows": [["n", [], [1, "x"]]]}
    assert codec.decode_table_row(Planned, old, 0) == Planned(name="n", attempts=(), pair=(1, "x"))


@dataclasses.dataclass(frozen=True)
class Loose:
    value: int | bool | float


def test_equal_values_of_different_types_stay_apart_in_a_table() -> None:
    values = [Loose(1), Loose(True), Loose(1.0)]
    table = json.loads(codec.dumps_table(Loose, values))
    decoded = [codec.decode_table_row(Loose, table, index) for index in range(3)]
    assert [type(item.value) for item in decoded] == [int, bool, float]
