"""gRPC: dynamic calls over grpc.aio, descriptors from reflection, .proto files or protosets.

Only hookimpls live here; grpc and protobuf are imported when a hook's object is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.demo import DemoServer
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol


@hookimpl
def wirecall_protocols() -> Iterable[LazyProtocol]:
    return [LazyProtocol("grpc", "wirecall.plugins.grpc.handler:GrpcHandler")]


@hookimpl
def wirecall_commands() -> Iterable[Any]:
    from wirecall.plugins.grpc.command import grpc_group

    return [grpc_group]


@hookimpl
def wirecall_demo_servers() -> Iterable[DemoServer]:
    return [
        DemoServer(
            name="grpc",
            module="wirecall.plugins.grpc.demo_server",
            description="gRPC Greeter and RouteGuide (proto_examples/) with server reflection",
        )
    ]
