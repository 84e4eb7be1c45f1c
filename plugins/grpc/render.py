"""Descriptors as text for ``describe`` (proto syntax, as grpcurl prints it) and example JSON
skeletons of messages for ``example`` (Postman's "generate example message")."""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor

FD = descriptor.FieldDescriptor
SCALAR_NAMES = {  # protobuf's field types by their .proto names
    FD.TYPE_DOUBLE: "double",
    FD.TYPE_FLOAT: "float",
    FD.TYPE_INT64: "int64",
    FD.TYPE_UINT64: "uint64",
    FD.TYPE_INT32: "int32",
    FD.TYPE_FIXED64: "fixed64",
    FD.TYPE_FIXED32: "fixed32",
    FD.TYPE_BOOL: "bool",
    FD.TYPE_STRING: "string",
    FD.TYPE_BYTES: "bytes",
    FD.TYPE_UINT32: "uint32",
    FD.TYPE_SFIXED32: "sfixed32",
    FD.TYPE_SFIXED64: "sfixed64",
    FD.TYPE_SINT32: "sint32",
    FD.TYPE_SINT64: "sint64",
}
_INT64 = {FD.TYPE_INT64, FD.TYPE_UINT64, FD.TYPE_FIXED64, FD.TYPE_SFIXED64, FD.TYPE_SINT64}
# JSON forms of well-known types (protobuf's JSON mapping), used as they are in examples
_WELL_KNOWN = {
    "google.protobuf.Timestamp": "1970-01-01T00:00:00Z",
    "google.protobuf.Duration": "0s",
    "google.protobuf.Struct": {},
    "google.protobuf.Value": None,
    "google.protobuf.ListValue": [],
    "google.protobuf.FieldMask": "",
    "google.protobuf.Empty": {},
    "google.protobuf.Any": {"@type": "type.googleapis.com/package.Message"},
    "google.protobuf.StringValue": "",
    "google.protobuf.BytesValue": "",
    "google.protobuf.BoolValue": False,
    "google.protobuf.Int64Value": "0",
    "google.protobuf.UInt64Value": "0",
    "google.protobuf.Int32Value": 0,
    "google.protobuf.UInt32Value": 0,
    "google.protobuf.DoubleValue": 0.0,
    "google.protobuf.FloatValue": 0.0,
}


def kind_of(symbol: Any) -> str:
    kinds = (
        (descriptor.ServiceDescriptor, "a service"),
        (descriptor.MethodDescriptor, "a method"),
        (descriptor.EnumDescriptor, "an enum"),
        (descriptor.Descriptor, "a message"),
    )
    return next(name for cls, name in kinds if isinstance(symbol, cls))


def method_line(method: descriptor.MethodDescriptor) -> str:
    stream_in = "stream " if method.client_streaming else ""
    stream_out = "stream " if method.server_streaming else ""
    return (
        f"rpc {method.name} ( {stream_in}.{method.input_type.full_name} ) "
        f"returns ( {stream_out}.{method.output_type.full_name} );"
    )


def _field_type(field: FD) -> str:
    if field.message_type is not None:
        return "." + field.message_type.full_name
    if field.enum_type is not None:
        return "." + field.enum_type.full_name
    return SCALAR_NAMES[field.type]


def _field_line(field: FD) -> str:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        key, value = (field.message_type.fields_by_name[n] for n in ("key", "value"))
        return f"map<{_field_type(key)}, {_field_type(value)}> {field.name} = {field.number};"
    label = "repeated " if field.is_repeated else ("optional " if _proto3_optional(field) else "")
    return f"{label}{_field_type(field)} {field.name} = {field.number};"


def _proto3_optional(field: FD) -> bool:
    oneof = field.containing_oneof
    return oneof is not None and len(oneof.fields) == 1 and oneof.name == f"_{field.name}"


def _indent(lines: list[str]) -> list[str]:
    return ["  " + line for line in lines]


def _message_lines(msg: descriptor.Descriptor) -> list[str]:
    body: list[str] = []
    oneofs_done: set[str] = set()
    for field in msg.fields:
        oneof = field.containing_oneof
        if oneof is not None and not _proto3_optional(field):
            if oneof.name not in oneofs_done:
                oneofs_done.add(oneof.name)
                body += [
                    f"oneof {oneof.name} {{",
                    *_indent([_field_line(f) for f in oneof.fields]),
                    "}",
                ]
            continue
        body.append(_field_line(field))
    for nested in msg.nested_types:
        if not nested.GetOptions().map_entry:
            body += _message_lines(nested)
    for enum in msg.enum_types:
        body += _enum_lines(enum)
    return [f"message {msg.name} {{", *_indent(body), "}"]


def _enum_lines(enum: descriptor.EnumDescriptor) -> list[str]:
    return [f"enum {enum.name} {{", *_indent([f"{v.name} = {v.number};" for v in enum.values]), "}"]


def proto_text(symbol: Any) -> str:
    """``symbol`` in .proto syntax, with fully qualified type names (grpcurl's describe)."""
    if isinstance(symbol, descriptor.ServiceDescriptor):
        lines = [
            f"service {symbol.name} {{",
            *_indent([method_line(m) for m in symbol.methods]),
            "}",
        ]
    elif isinstance(symbol, descriptor.MethodDescriptor):
        lines = [method_line(symbol)]
    elif isinstance(symbol, descriptor.EnumDescriptor):
        lines = _enum_lines(symbol)
    else:
        lines = _message_lines(symbol)
    return "\n".join(lines)


def example(msg: descriptor.Descriptor, depth: int = 0) -> Any:
    """A JSON skeleton of ``msg``: every field with a placeholder of its type (first of a oneof)."""
    if msg.full_name in _WELL_KNOWN:
        return _WELL_KNOWN[msg.full_name]
    out: dict[str, Any] = {}
    oneofs: set[str] = set()
    for field in msg.fields:
        oneof = field.containing_oneof
        if oneof is not None:
            if oneof.name in oneofs:
                continue
            oneofs.add(oneof.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            out[field.json_name] = {"key": _example_value(value_field, depth)}
        elif field.is_repeated:
            out[field.json_name] = [_example_value(field, depth)]
        else:
            out[field.json_name] = _example_value(field, depth)
    return out


def _example_value(field: FD, depth: int) -> Any:
    if field.message_type is not None:
        return example(field.message_type, depth + 1) if depth < 8 else {}
    if field.enum_type is not None:
        return field.enum_type.values[0].name
    if field.type in _INT64:
        return "0"
    if field.type in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
        return 0.0
    return {FD.TYPE_BOOL: False, FD.TYPE_STRING: "", FD.TYPE_BYTES: ""}.get(field.type, 0)
