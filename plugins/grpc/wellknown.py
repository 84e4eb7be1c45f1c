"""Canonical descriptors bundled with protobuf: well-known types and google.rpc.Status.

Reflection servers do not always serve these files (or serve them under other names), and
.proto/protoset sources may omit them; every source falls back to these.
"""

from __future__ import annotations

import functools

from google.protobuf import (
    any_pb2,
    api_pb2,
    descriptor_pb2,
    duration_pb2,
    empty_pb2,
    field_mask_pb2,
    source_context_pb2,
    struct_pb2,
    timestamp_pb2,
    type_pb2,
    wrappers_pb2,
)

_MODULES = (
    any_pb2,
    api_pb2,
    descriptor_pb2,
    duration_pb2,
    empty_pb2,
    field_mask_pb2,
    source_context_pb2,
    struct_pb2,
    timestamp_pb2,
    type_pb2,
    wrappers_pb2,
)
STATUS_FILE = "google/rpc/status.proto"


def _status_file() -> descriptor_pb2.FileDescriptorProto:
    """google.rpc.Status (googleapis), built here so no extra package is needed."""
    fdp = descriptor_pb2.FileDescriptorProto(
        name=STATUS_FILE,
        package="google.rpc",
        syntax="proto3",
        dependency=["google/protobuf/any.proto"],
    )
    msg = fdp.message_type.add(name="Status")
    F = descriptor_pb2.FieldDescriptorProto
    msg.field.add(
        name="code", number=1, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL, json_name="code"
    )
    msg.field.add(
        name="message", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="message"
    )
    msg.field.add(
        name="details",
        number=3,
        type=F.TYPE_MESSAGE,
        label=F.LABEL_REPEATED,
        type_name=".google.protobuf.Any",
        json_name="details",
    )
    return fdp


@functools.cache
def files() -> dict[str, descriptor_pb2.FileDescriptorProto]:
    """File name -> FileDescriptorProto of every bundled file."""
    found = {
        m.DESCRIPTOR.name: descriptor_pb2.FileDescriptorProto.FromString(m.DESCRIPTOR.serialized_pb)
        for m in _MODULES
    }
    found[STATUS_FILE] = _status_file()
    return found


@functools.cache
def symbols() -> dict[str, str]:
    """Fully qualified type name (no leading dot) -> bundled file that defines it."""
    from wirecall.plugins.grpc.names import defined_names

    return {name: fname for fname, fdp in files().items() for name in defined_names(fdp)}
