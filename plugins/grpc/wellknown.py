"""Canonical descriptors bundled with protobuf: well-known types and google.rpc.Status.

Reflection servers do not always serve these files (or serve them under other names), and
.proto/protoset sources may omit them; every source falls back to these.
"""

from __future__ import annotations

import functools
import importlib

from google.protobuf import descriptor_pb2

WELL_KNOWN = ("any", "api", "descriptor", "duration", "empty", "field_mask", "source_context",
              "struct", "timestamp", "type", "wrappers")  # fmt: skip
_MODULES = tuple(importlib.import_module(f"google.protobuf.{name}_pb2") for name in WELL_KNOWN)
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
