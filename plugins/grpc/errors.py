"""gRPC failures as wirecall errors, status code names, and google.rpc.Status details."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import grpc
from wirecall.core.errors import (
    ConnectError,
    ExitCode,
    ItemError,
    ProtocolError,
    RequestTimeout,
    StatusError,
)

# grpcurl prints Go's code names (codes.Code.String()); Python spells two of them differently.
_GO_NAMES = {"CANCELLED": "Canceled", "OK": "OK"}
# an enum member's name and value are properties: looked up once, not on every call; by id()
# because an Enum hashes in Python code (and its members are singletons)
_NAMES = {id(code): code.name for code in grpc.StatusCode}
_NUMBERS = {id(code): int(code.value[0]) for code in grpc.StatusCode}


def code_name(code: grpc.StatusCode) -> str:
    """The canonical name, e.g. ``NOT_FOUND`` (what Response.status holds)."""
    return _NAMES[id(code)]


def go_code_name(code: grpc.StatusCode) -> str:
    """grpcurl's spelling, e.g. ``NotFound``."""
    return _GO_NAMES.get(code.name) or "".join(p.capitalize() for p in code.name.split("_"))


def code_number(code: grpc.StatusCode) -> int:
    return _NUMBERS[id(code)]


class DescriptorError(ItemError):
    """Unknown service/method/symbol, protoc errors, unreadable protosets, no reflection.

    It fails the item in a run (like any ItemError) but is bad input for a direct command.
    """

    exit_code = ExitCode.USAGE


def status_error(code: grpc.StatusCode, message: str, connected: bool) -> ProtocolError | None:
    """The exception a final status becomes, or None when it is just a non-OK response."""
    text = f"{code.name}: {message}" if message else code.name
    if code is grpc.StatusCode.UNAVAILABLE and not connected:
        return ConnectError(text, protocol="grpc", status=code.name)
    if code is grpc.StatusCode.DEADLINE_EXCEEDED:
        return RequestTimeout(text, protocol="grpc", status=code.name)
    return None


def call_failed(what: str, code: grpc.StatusCode, details: str) -> ProtocolError:
    """A failed helper call (reflection): every non-OK status is an error here."""
    mapped = status_error(code, details, connected=code is not grpc.StatusCode.UNAVAILABLE)
    return mapped or StatusError(
        f"{what}: {code.name}: {details}", protocol="grpc", status=code.name
    )


@contextlib.contextmanager
def map_errors(what: str) -> Iterator[None]:
    """Translate library errors raised while doing ``what``."""
    try:
        yield
    except grpc.aio.AioRpcError as exc:
        raise call_failed(what, exc.code(), exc.details() or "") from exc
