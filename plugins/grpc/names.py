"""Names a FileDescriptorProto defines and refers to (for ordering files and repairing them)."""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2

KIND_MESSAGE = "message"
KIND_ENUM = "enum"
KIND_SERVICE = "service"


def _qualify(scope: str, name: str) -> str:
    return f"{scope}.{name}" if scope else name


def _walk_messages(
    messages: list[descriptor_pb2.DescriptorProto], scope: str
) -> Iterator[tuple[str, descriptor_pb2.DescriptorProto]]:
    for msg in messages:
        full = _qualify(scope, msg.name)
        yield full, msg
        yield from _walk_messages(list(msg.nested_type), full)


def defined_kinds(fdp: descriptor_pb2.FileDescriptorProto) -> dict[str, str]:
    """Full name (no leading dot) -> kind of every message, enum and service in the file."""
    found: dict[str, str] = {}
    for enum in fdp.enum_type:
        found[_qualify(fdp.package, enum.name)] = KIND_ENUM
    for full, msg in _walk_messages(list(fdp.message_type), fdp.package):
        found[full] = KIND_MESSAGE
        for enum in msg.enum_type:
            found[f"{full}.{enum.name}"] = KIND_ENUM
    for svc in fdp.service:
        found[_qualify(fdp.package, svc.name)] = KIND_SERVICE
    return found


def defined_names(fdp: descriptor_pb2.FileDescriptorProto) -> set[str]:
    return set(defined_kinds(fdp))


def references(fdp: descriptor_pb2.FileDescriptorProto) -> Iterator[tuple[str, object, str]]:
    """(scope, proto object, attribute) for every type reference in the file.

    ``getattr(obj, attr)`` is the referenced name, maybe relative (as some servers send it).
    """
    for full, msg in _walk_messages(list(fdp.message_type), fdp.package):
        for field in (*msg.field, *msg.extension):
            if field.type_name:
                yield full, field, "type_name"
            if field.extendee:
                yield full, field, "extendee"
    for ext in fdp.extension:
        for attr in ("type_name", "extendee"):
            if getattr(ext, attr):
                yield fdp.package, ext, attr
    for svc in fdp.service:
        for method in svc.method:
            yield fdp.package, method, "input_type"
            yield fdp.package, method, "output_type"


def candidates(scope: str, name: str) -> list[str]:
    """Where a relative name may point, innermost scope first (protobuf's lookup order)."""
    if name.startswith("."):
        return [name[1:]]
    parts = scope.split(".") if scope else []
    return [_qualify(".".join(parts[:i]), name) for i in range(len(parts), -1, -1)]
