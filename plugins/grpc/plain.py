"""JSON <-> protobuf without json_format for the common case: flat messages of plain scalars.

json_format builds lookup tables and walks generic converters for every message it touches;
for a message whose fields (as given or as set) are all singular strings, bools and 32-bit
integers, protobuf's JSON mapping is the identity under the field's JSON name, so both
directions take a few dictionary operations instead. Anything else (nested messages, enums,
64-bit integers, floats, bytes, repeated and map fields, oneofs, nulls, extensions,
non-ASCII text, well-known types) returns None here and goes through json_format, which
therefore decides every error message. ``to_json`` writes such a message's JSON text directly,
byte for byte what ``json.dumps`` makes of ``to_dict``'s result.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple

from google.protobuf import descriptor, message

FD = descriptor.FieldDescriptor
_INT32 = (-(2**31), 2**31 - 1)
_UINT32 = (0, 2**32 - 1)
_RANGES = {
    FD.TYPE_INT32: _INT32,
    FD.TYPE_SINT32: _INT32,
    FD.TYPE_SFIXED32: _INT32,
    FD.TYPE_UINT32: _UINT32,
    FD.TYPE_FIXED32: _UINT32,
}
_KINDS = {FD.TYPE_STRING: str, FD.TYPE_BOOL: bool, **dict.fromkeys(_RANGES, int)}
# json.dumps's text of each kind of value (its default ensure_ascii=True, as used for messages)
_WRITERS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring_ascii,
    bool: {True: "true", False: "false"}.__getitem__,
    int: int.__repr__,
}


class Plain(NamedTuple):
    """What a plain field holds and how its JSON looks."""

    name: str  # the proto name
    json_name: str
    kind: type  # str, bool or int
    limits: tuple[int, int] | None  # of an integer
    json_key: str  # '"jsonName": ', as json.dumps writes it before the value
    write: Callable[[Any], str]  # the value's JSON text


def _plain(field: FD) -> Plain | None:
    if field.is_repeated or field.containing_oneof is not None or field.is_extension:
        return None
    kind = _KINDS.get(field.type)
    if kind is None:
        return None
    key = encode_basestring_ascii(field.json_name) + ": "
    return Plain(field.name, field.json_name, kind, _RANGES.get(field.type), key, _WRITERS[kind])


@functools.lru_cache(maxsize=4096)
def _by_json_key(desc: descriptor.Descriptor) -> dict[str, Plain] | None:
    """The plain fields of ``desc`` under the keys JSON may use (proto name and JSON name);
    None for well-known types, whose JSON forms are their own."""
    if desc.full_name.startswith("google.protobuf."):
        return None
    table: dict[str, Plain] = {}
    for field in desc.fields:
        plain = _plain(field)
        if plain is not None:
            table[field.json_name] = table[field.name] = plain
    return table


@functools.lru_cache(maxsize=4096)
def _by_number(desc: descriptor.Descriptor) -> dict[int, Plain] | None:
    """The plain fields of ``desc`` by number (how a parsed message lists what it holds)."""
    if desc.full_name.startswith("google.protobuf."):
        return None
    return {f.number: p for f in desc.fields if (p := _plain(f)) is not None}


@functools.lru_cache(maxsize=4096)
def _flat(desc: descriptor.Descriptor) -> tuple[Plain, ...] | None:
    """The fields of ``desc`` by number if all are plain and without presence (no ``optional``,
    no extensions): a field is then set exactly when it holds no zero value, and reading the
    fields is cheaper than listing them. None for other messages (and for fields named like
    a Message method, which attribute access might not reach)."""
    table = _by_number(desc)
    if table is None or len(table) != len(desc.fields) or desc.extension_ranges:
        return None
    if any(f.has_presence or hasattr(message.Message, f.name) for f in desc.fields):
        return None
    return tuple(table[number] for number in sorted(table))


def _fits(plain: Plain, value: Any) -> bool:
    kind, limits = plain.kind, plain.limits
    if type(value) is not kind:
        return False
    if limits is not None:
        return bool(limits[0] <= value <= limits[1])
    return kind is not str or bool(value.isascii())


def to_message(
    desc: descriptor.Descriptor, cls: type[message.Message], value: Any
) -> message.Message | None:
    """A new ``cls`` holding JSON ``value``, or None when json_format has to parse it (and
    ``codec.check`` to find what is wrong with it)."""
    table = _by_json_key(desc)
    if table is None or not isinstance(value, dict):
        return None
    fields = {}
    for key, item in value.items():
        plain = table.get(key)
        if plain is None or not _fits(plain, item):
            return None
        fields[plain.name] = item
    return cls(**fields)


def to_dict(msg: message.Message) -> dict[str, Any] | None:
    """``msg`` in protobuf's JSON form (fields that are set, JSON names), or None when
    json_format has to render it."""
    table = _by_number(msg.DESCRIPTOR)
    if table is None:
        return None
    result = {}
    for field, value in msg.ListFields():
        plain = table.get(field.number)  # extensions have numbers of their own: None
        if plain is None:
            return None
        result[plain.json_name] = value
    return result


def to_json(msg: message.Message) -> str | None:
    """``json.dumps(to_dict(msg))``, written without the dictionary and the encoder's set-up
    (or None when json_format has to render ``msg``)."""
    desc = msg.DESCRIPTOR
    flat = _flat(desc)
    if flat is not None:
        parts = []
        for plain in flat:
            value = getattr(msg, plain.name)
            if value:  # set
                parts.append(plain.json_key + plain.write(value))
        return "{" + ", ".join(parts) + "}"
    table = _by_number(desc)
    if table is None:
        return None
    parts = []
    for field, value in msg.ListFields():
        plain = table.get(field.number)
        if plain is None:
            return None
        parts.append(plain.json_key + plain.write(value))
    return "{" + ", ".join(parts) + "}"
