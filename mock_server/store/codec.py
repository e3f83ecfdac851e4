"""Turns domain values into JSON text and back, for stores that keep them outside Python.

Any dataclass whose fields hold plain values (str, int, float, bool,
None), enums, tuples, JSON-like mappings, or further such dataclasses round-trips without
per-class code: the field types drive decoding. A dataclass becomes a JSON
object keyed by field name, so a value written before a field was added
still decodes (the new field takes its default). Per-class plans are built
once and cached, since stores encode on every request.

Many values of one class (the calls of one request) are kept as a table:
field names written once, a value shared by every row written once, and a
row read back by position without decoding the others.

Floats must be finite (the domain's are: prices, times): infinities and NaN
are written as null, as JSON has no spelling for them.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import functools
import json
import operator
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bitel_mock import jsontext

_PLAIN = (str, int, float, bool, type(None))
Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _encode(value: Any) -> Any:
    """A value as plain JSON-ready data, by its runtime type."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):  # JSON-like data (a webhook body): kept as it is
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_encoder(type(value))(value)
    raise TypeError(f"cannot encode a {type(value).__name__}")


@functools.cache
def _dataclass_encoder(cls: type) -> Encoder:
    names = [field.name for field in dataclasses.fields(cls)]

    def encode(value: Any) -> dict[str, Any]:
        result = {}
        for name in names:
            item = getattr(value, name)
            result[name] = item if type(item) in _PLAIN else _encode(item)
        return result

    return encode


@functools.cache
def decoder_for(kind: Any) -> Decoder:
    """A function turning plain data (from `encode_value`) back into a value of type `kind`."""
    if kind in (str, int, bool, type(None), Any):
        return _identity
    if kind is float:
        return float
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if origin in (dict, Mapping, collections.abc.Mapping) or kind in (dict, Mapping):
        return _identity
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            item = decoder_for(arguments[0])
            return lambda data: tuple(item(each) for each in data)
        items = [decoder_for(argument) for argument in arguments]
        return lambda data: tuple(decode(each) for decode, each in zip(items, data, strict=True))
    if origin in (typing.Union, types.UnionType):
        options = [argument for argument in arguments if argument is not type(None)]
        if len(options) == 1:
            only = decoder_for(options[0])
            return lambda data: None if data is None else only(data)
        return _union_decoder(tuple(options))
    raise TypeError(f"cannot decode values of type {kind!r}")


def _union_decoder(options: tuple[Any, ...]) -> Decoder:
    decoders = [decoder_for(option) for option in options]

    def decode(data: Any) -> Any:
        if data is None:
            return None
        if any(type(data) is option for option in options if option in _PLAIN):
            return data
        for decoder in decoders:
            try:
                return decoder(data)
            except (TypeError, ValueError, KeyError):
                continue
        raise ValueError(f"no type of {options!r} fits {data!r}")

    return decode


def _dataclass_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    plans = [
        (field.name, decoder_for(hints[field.name]), field.default is not dataclasses.MISSING
         or field.default_factory is not dataclasses.MISSING)
        for field in dataclasses.fields(cls)
        if field.init
    ]

    def decode(data: dict[str, Any]) -> Any:
        arguments = {}
        for name, decoder, optional in plans:
            if name in data:
                value = data[name]
                arguments[name] = value if decoder is _identity else decoder(value)
            elif not optional:
                raise KeyError(f"{cls.__name__}.{name} is missing")
        return cls(**arguments)

    return decode


@functools.cache
def _row_plan(cls: type) -> tuple[list[str], Callable[[Any], tuple[Any, ...]], list[tuple[int, Encoder]]]:
    """Field names, a getter of all field values at once, and the positions that need converting."""
    hints = typing.get_type_hints(cls)
    names = [field.name for field in dataclasses.fields(cls)]
    converters = [
        (position, _enum_value if _is_enum(hints[name]) else _encode)
        for position, name in enumerate(names)
        if not _is_plain_hint(hints[name])
    ]
    getter = operator.attrgetter(*names)
    if len(names) == 1:
        single = getter
        getter = lambda value: (single(value),)  # noqa: E731
    return names, getter, converters


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def _enum_value(value: enum.Enum) -> Any:
    return value.value


def _is_plain_hint(kind: Any) -> bool:
    if kind in _PLAIN or kind is Any:
        return True
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return all(_is_plain_hint(argument) for argument in typing.get_args(kind))
    return False


def encode_table(cls: type, values: Sequence[Any]) -> dict[str, Any]:
    """Values of one dataclass as `{"size": n, "same": {...}, "fields": [...], "rows": [[...], ...]}`.

    A field with one value across all rows (the request date of a batch, say)
    is written once under "same"; the others column by column in "rows".
    """
    names, getter, converters = _row_plan(cls)
    columns = [list(column) for column in zip(*map(getter, values), strict=True)]
    if not columns:
        return {"size": 0, "same": {}, "fields": names, "rows": []}
    convert_at = dict(converters)
    size = len(values)
    same: dict[str, Any] = {}
    varying_names: list[str] = []
    varying: list[list[Any]] = []
    for position, (name, column) in enumerate(zip(names, columns, strict=True)):
        convert = convert_at.get(position)
        if size > 1 and column.count(column[0]) == size and len(set(map(type, column))) == 1:
            same[name] = column[0] if convert is None else convert(column[0])
        else:
            varying_names.append(name)
            varying.append(column if convert is None else [convert(item) for item in column])
    return {"size": size, "same": same, "fields": varying_names, "rows": list(zip(*varying, strict=True))}


def decode_table_row(cls: type, table: dict[str, Any], index: int) -> Any:
    """Row `index` of a table made by `encode_table`, as a `cls` (fields added since take defaults)."""
    if not 0 <= index < table_size(table):
        raise IndexError(f"a table of {table_size(table)} rows has no row {index}")
    data = dict(zip(table["fields"], table["rows"][index], strict=True)) if table["fields"] else {}
    data.update(table["same"])
    return decoder_for(cls)(data)


def table_size(table: dict[str, Any]) -> int:
    return table["size"]


def encode_value(value: Any) -> Any:
    """Plain JSON-ready data for a domain value."""
    return _encode(value)


def dumps_table(cls: type, values: Sequence[Any]) -> str:
    """Values of one dataclass as compact JSON text of a table."""
    return jsontext.dumps(encode_table(cls, values))


def dumps(value: Any) -> str:
    """A domain value as compact JSON text."""
    return jsontext.dumps(_encode(value))


def loads(text: str | bytes, kind: Any) -> Any:
    """A value of type `kind` from JSON text made by `dumps`."""
    return decoder_for(kind)(json.loads(text))
