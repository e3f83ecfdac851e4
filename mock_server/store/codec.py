"""Turns domain values into JSON text and back, for stores that keep them outside Python.

Any frozen dataclass whose fields hold plain values (str, int, float, bool,
None), enums, tuples, or further such dataclasses round-trips without
per-class code: the field types drive decoding. A dataclass becomes a JSON
object keyed by field name, so a value written before a field was added
still decodes (the new field takes its default). Per-class plans are built
once and cached, since stores encode on every request.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from collections.abc import Callable
from typing import Any

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


def encode_value(value: Any) -> Any:
    """Plain JSON-ready data for a domain value."""
    return _encode(value)


def dumps(value: Any) -> str:
    """A domain value as compact JSON text."""
    return json.dumps(_encode(value), separators=(",", ":"), ensure_ascii=False)


def loads(text: str | bytes, kind: Any) -> Any:
    """A value of type `kind` from JSON text made by `dumps`."""
    return decoder_for(kind)(json.loads(text))
