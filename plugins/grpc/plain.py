"""JSON <-> protobuf without json_format for the common case: flat messages of plain scalars.

json_format builds lookup tables and walks generic converters for every message it touches;
for a message whose fields (as given or as set) are all singular strings, bools and 32-bit
integers, protobuf's JSON mapping is the identity under the field's JSON name, so both
directions take a few dictionary operations instead. Anything else (nested messages, enums,
64-bit integers, floats, bytes, repeated and map fields, oneofs, nulls, extensions,
non-ASCII text, well-known types) returns None here and goes through json_format, which
therefore decides every error message.
"""

from __future__ import annotations

import functools
from typing import Any

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
# what a plain field holds: (proto name, JSON name, Python type, integer range or None)
Plain = tuple[str, str, type, tuple[int, int] | None]


def _plain(field: FD) -> Plain | None:
    if field.is_repeated or field.containing_oneof is not None or field.is_extension:
        return None
    if field.type == FD.TYPE_STRING:
        return field.name, field.json_name, str, None
    if field.type == FD.TYPE_BOOL:
        return field.name, field.json_name, bool, None
    if field.type in _RANGES:
        return field.name, field.json_name, int, _RANGES[field.type]
    return None


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


def _fits(plain: Plain, value: Any) -> bool:
    kind, limits = plain[2], plain[3]
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
        fields[plain[0]] = item
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
        result[plain[1]] = value
    return result
