"""Real gRPC demo servers (subprocesses) for the gRPC plugin tests, started on first use."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from google.protobuf import descriptor_pb2
from wirecall.core.demo import RunningServer, start
from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Response
from wirecall.core.streams import StreamSpec
from wirecall.plugins.grpc import wirecall_demo_servers
from wirecall.plugins.grpc.compile import compile_protos
from wirecall.plugins.grpc.handler import GrpcHandler

ROOT = Path(__file__).resolve().parents[3]
PROTO_DIR = ROOT / "proto_examples"
SERVER_NAME = "grpc.example.test"  # the only name in the TLS server's certificate

(DEMO,) = wirecall_demo_servers()


@pytest.fixture(scope="session")
def server_factory() -> Iterator[Callable[..., RunningServer]]:
    """Start a demo server once per distinct argument list."""
    started: dict[tuple[str, ...], RunningServer] = {}

    def get(*args: str) -> RunningServer:
        if args not in started:
            started[args] = start(DEMO, args)
        return started[args]

    yield get
    for server in started.values():
        server.stop()


@pytest.fixture(scope="session")
def plain(server_factory: Callable[..., RunningServer]) -> str:
    return server_factory().address


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("certs")
    ca = trustme.CA()
    server = ca.issue_cert(SERVER_NAME)
    client = ca.issue_cert("client.example.test")
    paths = {
        "ca": folder / "ca.pem",
        "server": folder / "server.pem",
        "server_key": folder / "server.key",
        "client": folder / "client.pem",
        "client_key": folder / "client.key",
    }
    ca.cert_pem.write_to_path(str(paths["ca"]))
    server.cert_chain_pems[0].write_to_path(str(paths["server"]))
    server.private_key_pem.write_to_path(str(paths["server_key"]))
    client.cert_chain_pems[0].write_to_path(str(paths["client"]))
    client.private_key_pem.write_to_path(str(paths["client_key"]))
    return {k: str(v) for k, v in paths.items()}


@pytest.fixture(scope="session")
def tls_server(server_factory: Callable[..., RunningServer], certs: dict[str, str]) -> str:
    return server_factory("--cert", certs["server"], "--key", certs["server_key"]).address


@pytest.fixture(scope="session")
def mtls_server(server_factory: Callable[..., RunningServer], certs: dict[str, str]) -> str:
    return server_factory(
        "--cert", certs["server"], "--key", certs["server_key"], "--client-ca", certs["ca"]
    ).address


@pytest.fixture(scope="session")
def protoset(tmp_path_factory: pytest.TempPathFactory) -> str:
    files = compile_protos(["routeguide.proto", "greeter.proto"], [str(PROTO_DIR)])
    path = tmp_path_factory.mktemp("protoset") / "examples.protoset"
    path.write_bytes(descriptor_pb2.FileDescriptorSet(file=files).SerializeToString())
    return str(path)


SOURCES = {
    "reflection": lambda protoset: None,
    "proto": lambda protoset: {
        "protoFiles": ["routeguide.proto", "greeter.proto"],
        "importPaths": [str(PROTO_DIR)],
    },
    "protoset": lambda protoset: {"protoset": protoset},
}


def item(url: str, method: str, *messages: Any, **extra: Any) -> dict[str, Any]:
    """A collection item's gRPC request object."""
    raw: dict[str, Any] = {
        "url": url,
        "method": method,
        "messages": [{"data": m} for m in messages],
    }
    raw.update({k: v for k, v in extra.items() if v is not None})
    return raw


async def send(
    raw: dict[str, Any],
    settings: Settings | None = None,
    handler: GrpcHandler | None = None,
    on_message: Any = None,
) -> Response:
    """Parse and send ``raw`` as the runner does (a handler of its own unless given)."""
    own = handler is None
    handler = handler or GrpcHandler()
    try:
        request = handler.parse(raw, Location("item.json", "$.request"))
        kwargs = {"on_message": on_message} if on_message else {}
        exchange = Exchange(
            settings=settings, stream=StreamSpec.from_request(raw, Location()), **kwargs
        )
        return await handler.send(request, exchange)
    finally:
        if own:
            await handler.aclose()


def run(coro: Any) -> Any:
    return asyncio.run(coro)
