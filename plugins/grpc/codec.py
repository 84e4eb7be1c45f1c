"""Protobuf JSON mapping for dynamic messages: check and parse request JSON, format responses.

json_format does the mapping (well-known types, enums, base64 bytes, 64-bit ints as strings)
unless ``plain`` can do it directly; ``check`` runs first so a mistake is reported with its
JSON path and the expected type, before anything is sent.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import functools
import json
from collections.abc import Iterator
from typing import Any

from google.protobuf import descriptor, json_format, message, message_factory
from wirecall.core.errors import CollectionError, Location, RemoteProtocolError
from wirecall.plugins.grpc import plain
from wirecall.plugins.grpc.descriptors import DescriptorSource
from wirecall.plugins.grpc.render import SCALAR_NAMES

FD = descriptor.FieldDescriptor
_INTS = {t: name for t, name in SCALAR_NAMES.items() if name[-2:] in ("32", "64")}
_FLOATS = {t: name for t, name in SCALAR_NAMES.items() if name in ("float", "double")}
_SPECIAL_FLOATS = {"NaN", "Infinity", "-Infinity"}


def _describe(value: Any) -> str:
    kind = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return kind.get(type(value), "a number") + (
        f" {json.dumps(value)}" if not isinstance(value, (dict, list)) else ""
    )


def _wrong(expected: str, value: Any, at: Location) -> CollectionError:
    return CollectionError(f"expected {expected}, got {_describe(value)}", at)


@functools.lru_cache(maxsize=4096)
def _fields_by_key(desc: descriptor.Descriptor) -> dict[str, FD]:
    """The fields of ``desc`` under the keys JSON may use: json_name and the proto name."""
    return {f.json_name: f for f in desc.fields} | {f.name: f for f in desc.fields}


@functools.lru_cache(maxsize=4096)
def _may_hold_any(desc: descriptor.Descriptor) -> bool:
    """Whether a message of type ``desc`` can contain a google.protobuf.Any anywhere: only
    then do its values name types that may have to be fetched before (de)coding."""
    seen: set[str] = set()
    todo = [desc]
    while todo:
        current = todo.pop()
        if current.full_name == "google.protobuf.Any":
            return True
        if current.full_name not in seen:
            seen.add(current.full_name)
            todo.extend(f.message_type for f in current.fields if f.message_type is not None)
    return False


def check(desc: descriptor.Descriptor, value: Any, at: Location) -> None:
    """Raise CollectionError at the first place ``value`` does not fit message ``desc``."""
    if desc.full_name.startswith("google.protobuf."):
        _check_well_known(desc, value, at)
        return
    if not isinstance(value, dict):
        raise _wrong(f"a JSON object for message {desc.full_name}", value, at)
    by_name = _fields_by_key(desc)
    for key, item in value.items():
        field = by_name.get(key)
        if field is None:
            if key.startswith("["):
                continue  # an extension; json_format resolves it
            close = difflib.get_close_matches(key, [f.json_name for f in desc.fields], 3, 0.6)
            hint = (
                f"did you mean {' or '.join(close)}?"
                if close
                else ("fields: " + ", ".join(f.json_name for f in desc.fields))
            )
            raise CollectionError(
                f"message {desc.full_name} has no field {key!r}", at.child(key), hint=hint
            )
        _check_field(field, item, at.child(key))


def _check_well_known(desc: descriptor.Descriptor, value: Any, at: Location) -> None:
    """Well-known types have JSON forms of their own (a Timestamp is an RFC 3339 string)."""
    if desc.full_name == "google.protobuf.Any":
        return  # its contents need the pool; checked when the whole message is parsed
    try:
        json_format.ParseDict(value, message_factory.GetMessageClass(desc)())
    except (json_format.ParseError, TypeError, ValueError) as exc:
        reason = str(exc).split(" at ")[0].rstrip(".")
        raise CollectionError(f"expected {desc.full_name} in its JSON form: {reason}", at) from exc


def _check_field(field: FD, value: Any, at: Location) -> None:
    if value is None:
        return
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        if not isinstance(value, dict):
            raise _wrong(f"an object (map of {field.name})", value, at)
        value_field = field.message_type.fields_by_name["value"]
        for key, item in value.items():
            _check_value(value_field, item, at.child(key))
    elif field.is_repeated:
        if not isinstance(value, list):
            raise _wrong(f"an array (repeated {_type_name(field)})", value, at)
        for index, item in enumerate(value):
            _check_value(field, item, at.child(index))
    else:
        _check_value(field, value, at)


def _type_name(field: FD) -> str:
    if field.message_type is not None:
        return field.message_type.full_name
    if field.enum_type is not None:
        return field.enum_type.full_name
    return (
        _INTS.get(field.type)
        or _FLOATS.get(field.type)
        or {FD.TYPE_BOOL: "bool", FD.TYPE_STRING: "string", FD.TYPE_BYTES: "bytes"}[field.type]
    )


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, str):
        return value.strip().lstrip("-").isdigit()
    return isinstance(value, int)


def _check_value(field: FD, value: Any, at: Location) -> None:
    if field.message_type is not None:
        if value is not None or field.message_type.full_name != "google.protobuf.Value":
            check(field.message_type, value, at)
        return
    if field.enum_type is not None:
        names = [v.name for v in field.enum_type.values]
        fits = value in names or _is_integer(value)
        expected = f"enum {field.enum_type.full_name} ({', '.join(names)}) or a number"
    elif field.type in _INTS:
        fits, expected = _is_integer(value), f"{_INTS[field.type]} (a number or a decimal string)"
    elif field.type in _FLOATS:
        fits = not isinstance(value, bool) and (
            isinstance(value, (int, float)) or value in _SPECIAL_FLOATS or _is_float_text(value)
        )
        expected = f"{_FLOATS[field.type]} (a number)"
    elif field.type == FD.TYPE_BOOL:
        fits, expected = isinstance(value, bool), "bool (true or false)"
    elif field.type == FD.TYPE_STRING:
        fits, expected = isinstance(value, str), "string"
    else:
        fits, expected = isinstance(value, str) and _is_base64(value), "bytes (a base64 string)"
    if not fits:
        raise _wrong(expected, value, at)


def _is_float_text(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str)


def _is_base64(text: str) -> bool:
    padded = text + "=" * (-len(text) % 4)
    try:
        base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _any_types(value: Any) -> Iterator[str]:
    """Type names in ``@type`` keys of request JSON (Any values), to load before parsing."""
    if isinstance(value, dict):
        url = value.get("@type")
        if isinstance(url, str):
            yield url.rpartition("/")[2]
        for item in value.values():
            yield from _any_types(item)
    elif isinstance(value, list):
        for item in value:
            yield from _any_types(item)


Path = tuple[str | int, ...]


def _place(at: Location, path: Path) -> Location:
    for key in path:
        at = at.child(key)
    return at


def load_json(data: Any, at: Location, path: Path = ()) -> Any:
    """A message given as JSON text or as an already parsed object (None means ``{}``)."""
    if data is None:
        return {}
    if isinstance(data, (bytes, str)):
        try:
            return json.loads(data) if str(data).strip() else {}
        except json.JSONDecodeError as exc:
            raise CollectionError(
                f"not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})",
                _place(at, path),
            ) from exc
    return data


async def to_message(
    source: DescriptorSource,
    desc: descriptor.Descriptor,
    data: Any,
    at: Location,
    path: Path = (),
) -> message.Message:
    """Parse JSON ``data`` into a new message of type ``desc``; errors name the place
    ``at`` + ``path`` (worked out only for an error)."""
    value = load_json(data, at, path)
    cls = message_factory.GetMessageClass(desc)
    direct = plain.to_message(desc, cls, value)
    if direct is not None:
        return direct
    at = _place(at, path)
    check(desc, value, at)
    if _may_hold_any(desc):
        await source.load_types(_any_types(value))
    result = cls()
    try:
        json_format.ParseDict(value, result, descriptor_pool=source.pool)
    except (json_format.ParseError, TypeError, ValueError) as exc:
        raise CollectionError(f"does not fit {desc.full_name}: {exc}", at) from exc
    return result


def _packed_types(msg: message.Message) -> Iterator[str]:
    """Type names inside Any fields of ``msg``, recursively."""
    if msg.DESCRIPTOR.full_name == "google.protobuf.Any":
        yield msg.type_url.rpartition("/")[2]  # type: ignore[attr-defined]
        return
    for field, value in msg.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            values = [v for v in value.values() if isinstance(v, message.Message)]
        elif field.is_repeated:
            values = list(value)
        else:
            values = [value]
        for item in values:
            yield from _packed_types(item)


def direct_json(msg: message.Message, emit_defaults: bool) -> str | None:
    """``msg``'s JSON text written without json_format (a flat message), or None."""
    return None if emit_defaults else plain.to_json(msg)


async def to_json(source: DescriptorSource, msg: message.Message, emit_defaults: bool) -> str:
    """``msg``'s protobuf JSON form as text (what a Message record holds)."""
    return direct_json(msg, emit_defaults) or json.dumps(await to_dict(source, msg, emit_defaults))


async def to_dict(
    source: DescriptorSource, msg: message.Message, emit_defaults: bool = False
) -> Any:
    """The protobuf JSON form of ``msg``, loading the types of Any values from ``source``."""
    if not emit_defaults:
        direct = plain.to_dict(msg)
        if direct is not None:
            return direct
    if _may_hold_any(msg.DESCRIPTOR):
        await source.load_types(set(_packed_types(msg)))
    try:
        return json_format.MessageToDict(
            msg, always_print_fields_with_no_presence=emit_defaults, descriptor_pool=source.pool
        )
    except (TypeError, KeyError) as exc:
        raise RemoteProtocolError(
            f"cannot show a {msg.DESCRIPTOR.full_name} as JSON: {exc}", protocol="grpc"
        ) from exc
