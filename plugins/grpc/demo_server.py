"""The example gRPC server: proto_examples' Greeter and RouteGuide, with server reflection.

    python -m wirecall.plugins.grpc.demo_server [--tls | --cert C --key K [--client-ca CA]]
        [--uds PATH] [--reflection both|v1|v1alpha|none] [--broken-reflection]

Prints ``READY <url>`` (``grpc://127.0.0.1:PORT``, ``grpcs://...`` with ``ca=PATH`` for
``--tls``, or ``unix:PATH``) once it accepts calls. The
.proto files are compiled at start-up with grpc_tools' protoc: no generated code is kept.
``--broken-reflection`` serves descriptors the way @grpc/reflection (grpc-js) does: renamed
files, empty dependency lists, relative type names, no well-known files.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_reflection.v1alpha import reflection, reflection_pb2
from wirecall.plugins.grpc import names, wellknown
from wirecall.plugins.grpc.compile import compile_protos

PROTO_FILES = ("greeter.proto", "routeguide.proto", "errors/details.proto")
SERVICES = ("greeter.v1.Greeter", "routeguide.v1.RouteGuide")
REFLECTION = {
    "v1": "grpc.reflection.v1.ServerReflection",
    "v1alpha": "grpc.reflection.v1alpha.ServerReflection",
}
E7 = 1e7


def proto_dir() -> Path:
    """proto_examples/ of this checkout (WIRECALL_PROTO_EXAMPLES overrides it)."""
    return Path(
        os.environ.get("WIRECALL_PROTO_EXAMPLES")
        or Path(__file__).resolve().parents[2] / "proto_examples"
    )


class Types:
    """Message classes of the compiled examples, by full name."""

    def __init__(self, files: list[descriptor_pb2.FileDescriptorProto]) -> None:
        self.pool = descriptor_pool.DescriptorPool()
        self.files = files
        for fdp in files:
            self.pool.Add(fdp)
        self.pool.Add(wellknown.files()[wellknown.STATUS_FILE])

    def __getattr__(self, short: str) -> Any:
        full = {
            "HelloReply": "greeter.v1.HelloReply",
            "Point": "geo.v1.Point",
            "Status": "google.rpc.Status",
            "ErrorInfo": "errors.v1.ErrorInfo",
            "BadRequest": "errors.v1.BadRequest",
            "Empty": "google.protobuf.Empty",
        }.get(short, f"routeguide.v1.{short}")
        return message_factory.GetMessageClass(self.pool.FindMessageTypeByName(full))

    def input_of(self, service: str, method: str) -> Any:
        desc = self.pool.FindServiceByName(service).methods_by_name[method]
        return message_factory.GetMessageClass(desc.input_type)


FEATURES = [
    ("Big Ben", 515007000, -1246000, "CATEGORY_LANDMARK"),
    ("Tower Bridge", 515055000, -754000, "CATEGORY_LANDMARK"),
    ("Hyde Park", 515073000, -1657000, "CATEGORY_PARK"),
    ("Camden Market", 515414000, -1460000, "CATEGORY_SHOP"),
]


class RouteGuide:
    def __init__(self, types: Types) -> None:
        self.t = types

    def feature(self, name: str, lat: int, lng: int, category: str) -> Any:
        f = self.t.Feature(
            name=name, category=category, tags=["london", category.split("_")[1].lower()]
        )
        f.location.latitude, f.location.longitude = lat, lng
        f.labels["city"] = "London"
        f.updated_at.FromSeconds(1700000000)
        f.attributes.update({"open": True, "rating": 4.5})
        f.elevation.value = 11
        f.photo = name.encode()
        if category == "CATEGORY_PARK":
            f.visitors = 12345678901234
        else:
            f.note = f"{name} is a {category.split('_')[1].lower()}"
        return f

    def at(self, point: Any) -> Any:
        for name, lat, lng, category in FEATURES:
            if (lat, lng) == (point.latitude, point.longitude):
                return self.feature(name, lat, lng, category)
        return None

    async def GetFeature(self, point: Any, context: Any) -> Any:
        found = self.at(point)
        return found if found is not None else self.t.Feature(location=point)

    async def ListFeatures(self, rect: Any, context: Any) -> AsyncIterator[Any]:
        lat = sorted((rect.lo.latitude, rect.hi.latitude))
        lng = sorted((rect.lo.longitude, rect.hi.longitude))
        for name, la, ln, category in FEATURES:
            if lat[0] <= la <= lat[1] and lng[0] <= ln <= lng[1]:
                yield self.feature(name, la, ln, category)

    async def RecordRoute(self, points: AsyncIterator[Any], context: Any) -> Any:
        started, count, features, meters, previous = time.monotonic(), 0, 0, 0.0, None
        async for point in points:
            count += 1
            features += self.at(point) is not None
            if previous is not None:
                meters += _distance(previous, point)
            previous = point
        summary = self.t.RouteSummary(
            point_count=count, feature_count=features, distance_meters=int(meters)
        )
        summary.elapsed_time.FromNanoseconds(int((time.monotonic() - started) * 1e9))
        return summary

    async def RouteChat(self, notes: AsyncIterator[Any], context: Any) -> AsyncIterator[Any]:
        async for note in notes:
            reply = self.t.RouteNote(message=f"ack: {note.message}")
            if note.HasField("location"):
                reply.location.CopyFrom(note.location)
            if note.HasField("sent_at"):
                reply.sent_at.CopyFrom(note.sent_at)
            yield reply

    async def Fail(self, request: Any, context: Any) -> Any:
        if request.code == 0:
            return self.t.Empty()
        code = next(c for c in grpc.StatusCode if c.value[0] == request.code)
        message = request.message or f"failing with {code.name} as asked"
        info = self.t.ErrorInfo(reason="ASKED_TO_FAIL", domain="demo.wirecall")
        info.metadata["code"] = str(request.code)
        bad = self.t.BadRequest()
        bad.field_violations.add(field="code", description="the request asked for this error")
        status = self.t.Status(code=request.code, message=message)
        status.details.add().Pack(info)
        status.details.add().Pack(bad)
        await context.abort(
            code,
            message,
            trailing_metadata=(("grpc-status-details-bin", status.SerializeToString()),),
        )

    async def Echo(self, request: Any, context: Any) -> Any:
        if request.delay_ms:
            await asyncio.sleep(request.delay_ms / 1000)
        await context.send_initial_metadata((("x-echo-initial", "yes"),))
        context.set_trailing_metadata((("x-echo-trailer", "done"), ("x-echo-bin", b"\x00\x01\xfe")))
        reply = self.t.EchoReply(message=request.message, blob=b"x" * request.blob_size)
        for key, value in context.invocation_metadata():
            reply.metadata[key] = value.hex() if isinstance(value, bytes) else value
        if request.HasField("payload"):
            reply.payload.CopyFrom(request.payload)
        return reply


class Greeter:
    def __init__(self, types: Types) -> None:
        self.t = types

    async def SayHello(self, request: Any, context: Any) -> Any:
        return self.t.HelloReply(message=f"Hello, {request.name or 'world'}!")


def _distance(a: Any, b: Any) -> float:
    """Haversine distance in metres between two E7 points."""
    lat1, lat2 = math.radians(a.latitude / E7), math.radians(b.latitude / E7)
    dlat, dlng = lat2 - lat1, math.radians((b.longitude - a.longitude) / E7)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * 6371000 * math.asin(math.sqrt(h))


def service_handler(types: Types, service: str, impl: object) -> grpc.GenericRpcHandler:
    kinds: dict[tuple[bool, bool], Callable[..., grpc.RpcMethodHandler]] = {
        (False, False): grpc.unary_unary_rpc_method_handler,
        (False, True): grpc.unary_stream_rpc_method_handler,
        (True, False): grpc.stream_unary_rpc_method_handler,
        (True, True): grpc.stream_stream_rpc_method_handler,
    }
    handlers = {}
    for method in types.pool.FindServiceByName(service).methods:
        make = kinds[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = make(
            getattr(impl, method.name),
            request_deserializer=types.input_of(service, method.name).FromString,
            response_serializer=lambda m: m.SerializeToString(),
        )
    return grpc.method_handlers_generic_handler(service, handlers)


def _reflection_handler(name: str, behaviour: Callable[..., Any]) -> grpc.GenericRpcHandler:
    return grpc.method_handlers_generic_handler(
        name,
        {
            "ServerReflectionInfo": grpc.stream_stream_rpc_method_handler(
                behaviour,
                request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
                response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
            )
        },
    )


class BrokenReflection:
    """Reflection as @grpc/reflection serves it (grpc-node issue 3034)."""

    def __init__(self, types: Types, services: list[str]) -> None:
        self.services = services
        self.pool = types.pool
        self.renamed = {
            f.name: f"js_{Path(f.name).stem}_{i}.proto" for i, f in enumerate(types.files)
        }
        self.files = {
            self.renamed[f.name]: self._break(f)
            for f in types.files
            if not f.package.startswith("google.")
        }

    def _break(self, original: descriptor_pb2.FileDescriptorProto) -> bytes:
        fdp = descriptor_pb2.FileDescriptorProto()
        fdp.CopyFrom(original)
        fdp.name = self.renamed[original.name]
        del fdp.dependency[:]
        fdp.ClearField("source_code_info")
        own = f".{fdp.package}."
        for _, obj, attr in names.references(fdp):
            value = getattr(obj, attr)
            setattr(obj, attr, value[len(own) :] if value.startswith(own) else value.lstrip("."))
        return fdp.SerializeToString()

    def _answer(self, request: Any) -> Any:
        answer = reflection_pb2.ServerReflectionResponse(original_request=request)
        which = request.WhichOneof("message_request")
        if which == "list_services":
            for name in self.services:
                answer.list_services_response.service.add(name=name)
            return answer
        served = None
        if which == "file_by_filename":
            served = self.files.get(request.file_by_filename)
        elif which == "file_containing_symbol":
            try:
                original = self.pool.FindFileContainingSymbol(request.file_containing_symbol)
                served = self.files.get(self.renamed[original.name])
            except KeyError:
                pass
        if served is None:
            answer.error_response.error_code = grpc.StatusCode.NOT_FOUND.value[0]
            answer.error_response.error_message = "not found"
        else:
            answer.file_descriptor_response.file_descriptor_proto.append(served)
        return answer

    async def ServerReflectionInfo(
        self, requests: AsyncIterator[Any], context: Any
    ) -> AsyncIterator[Any]:
        async for request in requests:
            yield self._answer(request)


def _credentials(args: argparse.Namespace, workdir: str) -> grpc.ServerCredentials | None:
    if args.tls and not args.cert:
        import trustme  # only for `--tls` without certificates of one's own

        ca = trustme.CA()
        leaf = ca.issue_cert("localhost", "127.0.0.1", "::1")
        ca_path = Path(workdir) / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_path))
        args.extra = f" ca={ca_path}"
        return grpc.ssl_server_credentials(
            [(leaf.private_key_pem.bytes(), leaf.cert_chain_pems[0].bytes())]
        )
    if not args.cert:
        return None
    client_ca = Path(args.client_ca).read_bytes() if args.client_ca else None
    return grpc.ssl_server_credentials(
        [(Path(args.key).read_bytes(), Path(args.cert).read_bytes())],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )


async def serve(args: argparse.Namespace) -> None:
    types = Types(compile_protos(PROTO_FILES, [str(args.proto_dir)]))
    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        (
            service_handler(types, "greeter.v1.Greeter", Greeter(types)),
            service_handler(types, "routeguide.v1.RouteGuide", RouteGuide(types)),
        )
    )
    versions = (
        []
        if args.reflection == "none"
        else (["v1", "v1alpha"] if args.reflection == "both" else [args.reflection])
    )
    listed = [*SERVICES, *(REFLECTION[v] for v in versions)]
    servicer: Any = (
        BrokenReflection(types, listed)
        if args.broken_reflection
        else reflection.ReflectionServicer(listed, pool=types.pool)
    )
    server.add_generic_rpc_handlers(
        tuple(_reflection_handler(REFLECTION[v], servicer.ServerReflectionInfo) for v in versions)
    )
    with tempfile.TemporaryDirectory() as workdir:
        credentials = _credentials(args, workdir)
        address = f"unix:{args.uds}" if args.uds else f"{args.host}:{args.port}"
        port = (
            server.add_secure_port(address, credentials)
            if credentials
            else server.add_insecure_port(address)
        )
        await server.start()
        scheme = "grpcs" if credentials else "grpc"
        url = address if args.uds else f"{scheme}://{args.host}:{port}"
        print(f"READY {url}{args.extra}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await server.stop(0.5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m wirecall.plugins.grpc.demo_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--uds", help="listen on this Unix socket instead of TCP")
    parser.add_argument(
        "--tls", action="store_true", help="TLS with a fresh CA (its path is printed)"
    )
    parser.add_argument("--cert", help="server certificate (PEM); implies TLS")
    parser.add_argument("--key", help="server private key (PEM)")
    parser.add_argument("--client-ca", help="require client certificates signed by this CA (mTLS)")
    parser.add_argument("--reflection", choices=("both", "v1", "v1alpha", "none"), default="both")
    parser.add_argument(
        "--broken-reflection",
        action="store_true",
        help="serve descriptors as @grpc/reflection does (renamed, no imports)",
    )
    parser.add_argument("--proto-dir", type=Path, default=proto_dir())
    args = parser.parse_args(argv)
    args.extra = ""
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
