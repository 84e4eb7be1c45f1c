"""gRPC calls with dynamic messages over grpc.aio: all four call kinds, one code path.

Every call kind runs the same way: send what the exchange yields, hand each response message
to ``exchange.receive``, then read the final status, headers and trailers from the call.
A non-OK status is a response (ok=False), not an exception, except UNAVAILABLE before a
connection existed (ConnectError) and DEADLINE_EXCEEDED (RequestTimeout).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import json
import time
from collections.abc import Sequence
from typing import Any

import grpc
from google.protobuf import descriptor, message, message_factory
from wirecall.core.errors import CollectionError, RemoteProtocolError
from wirecall.core.exchange import Exchange
from wirecall.core.records import Message, Response
from wirecall.plugins.grpc import codec, wellknown
from wirecall.plugins.grpc.channels import ChannelKey, channel_key, open_channel
from wirecall.plugins.grpc.compile import compile_protos, load_protoset
from wirecall.plugins.grpc.descriptors import DescriptorSource, FileSource
from wirecall.plugins.grpc.errors import code_name, code_number, status_error
from wirecall.plugins.grpc.reflection import ReflectionClient, ReflectionSource
from wirecall.plugins.grpc.request import GrpcRequest, metadata_text, target_of

STATUS_DETAILS_KEY = "grpc-status-details-bin"
Metadata = Sequence[tuple[str, str | bytes]]


class Session:
    """Channels and descriptor sources kept for a run (or one CLI command), and the calls."""

    def __init__(self) -> None:
        self._channels: dict[ChannelKey, grpc.aio.Channel] = {}
        self._sources: dict[Any, DescriptorSource] = {}

    async def aclose(self) -> None:
        channels, self._channels = list(self._channels.values()), {}
        self._sources.clear()
        for channel in channels:
            await channel.close()

    # -- set-up, cached per run ----------------------------------------------------------

    async def channel(self, key: ChannelKey) -> grpc.aio.Channel:
        if key not in self._channels:
            self._channels[key] = await open_channel(key)
        return self._channels[key]

    async def source(
        self, request: GrpcRequest, key: ChannelKey, working_dir: str, timeout: float | None
    ) -> DescriptorSource:
        """The run's descriptor source for this request (reflection is per channel)."""
        spec = request.descriptors
        # reflection answers are large and uncompressed: the call's limits do not apply to them
        key = dataclasses.replace(
            key, max_receive_bytes=None, max_send_bytes=None, compression=None
        )
        cache_key: Any = (spec, working_dir) if spec.kind != "reflection" else key
        if cache_key not in self._sources:
            if spec.kind == "proto":
                files = compile_protos(spec.proto_files, spec.import_paths, working_dir)
                source: DescriptorSource = FileSource(files, ", ".join(spec.proto_files))
            elif spec.kind == "protoset":
                source = FileSource(
                    load_protoset(spec.protoset or "", working_dir), spec.protoset or ""
                )
            else:
                client = ReflectionClient(await self.channel(key), request.metadata, timeout)
                source = ReflectionSource(client, key.target)
            self._sources[cache_key] = source
        return self._sources[cache_key]

    async def descriptors(
        self, request: GrpcRequest, exchange: Exchange
    ) -> tuple[ChannelKey, DescriptorSource]:
        """The channel settings of ``request`` and its (cached) descriptor source."""
        endpoint = exchange.endpoint_for(request.url)
        target = (
            f"unix:{endpoint.path}"
            if endpoint is not None and endpoint.kind == "unix"
            else target_of(request.url)
        )
        key = channel_key(request, target, exchange.settings)
        timeout = _seconds(request.deadline_ms or exchange.settings.timeout_request_ms)
        return key, await self.source(request, key, exchange.settings.working_dir, timeout)

    async def resolve(
        self, request: GrpcRequest, exchange: Exchange
    ) -> tuple[ChannelKey, DescriptorSource, descriptor.MethodDescriptor]:
        key, source = await self.descriptors(request, exchange)
        return key, source, await source.find_method(request.method)

    # -- the call ------------------------------------------------------------------------

    async def send(self, request: GrpcRequest, exchange: Exchange) -> Response:
        started = time.perf_counter()
        key, source, method = await self.resolve(request, exchange)
        first = await self._check_messages(request, exchange, source, method)
        if not request.idle_given:  # a gRPC stream ends when the server ends it
            exchange.stream = dataclasses.replace(
                exchange.stream, until=dataclasses.replace(exchange.until, idle_ms=None)
            )
        channel = await self.channel(key)
        call = _Call(request, exchange, source, method)
        timeout = _seconds(request.deadline_ms or exchange.settings.timeout_request_ms)
        rpc = await call.run(channel, first, timeout)
        code = await rpc.code()
        status_message = await rpc.details() or ""
        trailers = await rpc.trailing_metadata()
        connected = channel.get_state() is grpc.ChannelConnectivity.READY
        error = None if call.cancelled_by_client else status_error(code, status_message, connected)
        if error is not None:
            raise error
        unary_response = not method.server_streaming
        ok = code is grpc.StatusCode.OK or call.cancelled_by_client
        received = [m for m in exchange.messages if m.direction == "received"]
        return Response(
            protocol="grpc",
            code=code_number(code),
            status=code_name(code),
            headers=metadata_text(await rpc.initial_metadata()),
            trailers=metadata_text(trailers),
            body=received[-1].data.encode() if unary_response and received else b"",
            messages=exchange.messages,
            response_time_ms=(time.perf_counter() - started) * 1000,
            url=request.url,
            ok=ok,
            failure="" if ok else ": ".join(filter(None, (code.name, status_message))),
            extra={
                "method": request.method,
                "statusMessage": status_message,
                "details": await status_details(source, trailers),
                "stopReason": exchange.stop_reason if call.cancelled_by_client else None,
            },
        )

    async def _check_messages(
        self,
        request: GrpcRequest,
        exchange: Exchange,
        source: DescriptorSource,
        method: descriptor.MethodDescriptor,
    ) -> message.Message:
        """Check every message of the item before anything is sent; the first one, parsed."""
        at = request.at.child("messages")
        count = len(exchange.stream.outgoing)
        if count > 1 and not method.client_streaming:
            raise CollectionError(f"{method.name} takes one request message, not {count}", at)
        desc = method.input_type
        parsed = [
            await codec.to_message(source, desc, out.data, at.child(i).child("data"))
            for i, out in enumerate(exchange.stream.outgoing)
        ]
        return parsed[0] if parsed else message_factory.GetMessageClass(desc)()


def _seconds(ms: float | None) -> float | None:
    return ms / 1000 if ms else None


class _Call:
    """One RPC: writes the exchange's messages, reads the responses, honours stop conditions."""

    def __init__(
        self,
        request: GrpcRequest,
        exchange: Exchange,
        source: DescriptorSource,
        method: descriptor.MethodDescriptor,
    ) -> None:
        self.request = request
        self.exchange = exchange
        self.source = source
        self.method = method
        self.emit_defaults = request.emit_defaults
        self.cancelled_by_client = False
        self._response_metadata: list[dict[str, str]] | None = None

    async def run(
        self, channel: grpc.aio.Channel, first: message.Message, timeout: float | None
    ) -> Any:
        method = self.method
        kind = {
            (False, False): channel.unary_unary,
            (False, True): channel.unary_stream,
            (True, False): channel.stream_unary,
            (True, True): channel.stream_stream,
        }
        stub = kind[(method.client_streaming, method.server_streaming)](
            f"/{method.containing_service.full_name}/{method.name}",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=message_factory.GetMessageClass(method.output_type).FromString,
        )
        options = {"metadata": tuple(self.request.metadata), "timeout": timeout}
        async with self.exchange.streaming():
            if method.client_streaming:
                rpc = stub(**options)
                writer = asyncio.create_task(self._write(rpc))
                writer.add_done_callback(lambda task: _cancel_on_error(task, rpc))
            else:
                rpc = stub(first, **options)
                writer = None
                await self._sent(first)
            try:
                await self._read(rpc)
            except grpc.aio.AioRpcError:
                pass  # the status is read from the call
            finally:
                if not rpc.done():  # stopped before the server ended the call
                    self.cancelled_by_client = True
                    rpc.cancel()
                if writer is not None:
                    await _finish(writer)
        return rpc

    async def _read(self, rpc: Any) -> None:
        if not self.method.server_streaming:
            waiter = asyncio.ensure_future(_await(rpc))
            stopper = asyncio.ensure_future(self.exchange.stopped.wait())
            done, _ = await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if waiter in done:
                await self._received(rpc, waiter.result())
            else:
                waiter.cancel()
                with contextlib.suppress(asyncio.CancelledError, grpc.aio.AioRpcError):
                    await waiter
            return
        async for response in self.exchange.until_stopped(rpc):
            if not await self._received(rpc, response):
                return

    async def _write(self, rpc: Any) -> None:
        """Send the item's messages (then, unless half-closing, those scripts queue)."""
        count = len(self.exchange.stream.outgoing)
        half_close = self.request.half_close or not self.method.server_streaming
        at = self.request.at.child("messages")
        sent = 0
        if count or not half_close:
            async with contextlib.aclosing(self.exchange.outgoing()) as outgoing:
                async for out in outgoing:
                    msg = await codec.to_message(
                        self.source, self.method.input_type, out.data, at.child(sent).child("data")
                    )
                    if rpc.done():
                        return
                    await rpc.write(msg)
                    await self._sent(msg)
                    sent += 1
                    if half_close and sent >= count:
                        break
        if not rpc.done():
            await rpc.done_writing()

    async def _sent(self, msg: message.Message) -> None:
        data = await codec.to_dict(self.source, msg, self.emit_defaults)
        await self.exchange.sent(Message("sent", json.dumps(data), type="json"))

    async def _received(self, rpc: Any, msg: message.Message) -> bool:
        if self._response_metadata is None:
            self._response_metadata = [
                {"key": k, "value": v} for k, v in metadata_text(await rpc.initial_metadata())
            ]
        data = await codec.to_dict(self.source, msg, self.emit_defaults)
        return await self.exchange.receive(
            Message(
                "received",
                json.dumps(data),
                type="json",
                fields={"metadata": self._response_metadata},
            )
        )


async def _await(rpc: Any) -> Any:
    return await rpc


def _cancel_on_error(writer: asyncio.Task[None], rpc: Any) -> None:
    if not writer.cancelled() and writer.exception() is not None:
        rpc.cancel()


async def _finish(writer: asyncio.Task[None]) -> None:
    """Wait for the writer; its input errors matter, write errors on a finished call do not."""
    if not writer.done():
        writer.cancel()
    try:
        await writer
    except (asyncio.CancelledError, grpc.aio.AioRpcError, asyncio.InvalidStateError):
        pass


async def status_details(source: DescriptorSource, trailers: Metadata | None) -> list[Any]:
    """The ``details`` of the google.rpc.Status trailer, each as JSON (``@type`` included)."""
    raw = next((v for k, v in trailers or () if k == STATUS_DETAILS_KEY), None)
    if not isinstance(raw, bytes):
        return []
    source.add_bundled(wellknown.STATUS_FILE)
    status_class = message_factory.GetMessageClass(
        source.pool.FindMessageTypeByName("google.rpc.Status")
    )
    try:
        status = status_class.FromString(raw)
    except message.DecodeError:  # a malformed trailer is shown as is rather than failing the call
        return [{"@type": "", "value": base64.b64encode(raw).decode()}]
    details = []
    for any_value in status.details:  # type: ignore[attr-defined]
        try:
            details.append(await codec.to_dict(source, any_value))
        except RemoteProtocolError:  # a type the descriptors do not know: show the packed bytes
            details.append(
                {"@type": any_value.type_url, "value": base64.b64encode(any_value.value).decode()}
            )
    return details
