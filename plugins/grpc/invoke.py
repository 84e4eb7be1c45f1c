"""gRPC calls with dynamic messages over grpc.aio: all four call kinds.

Every call kind runs the same way: send what the exchange yields, hand each response message
to ``exchange.receive``, then read the final status, headers and trailers from the call.
A non-OK status is a response (ok=False), not an exception, except UNAVAILABLE before a
connection existed (ConnectError) and DEADLINE_EXCEEDED (RequestTimeout).

Streams run inside ``exchange.streaming()``; a unary call, which only waits for one reply,
awaits it directly, its total and idle timeouts kept by the run's one timer (deadlines.py):
most items of a run are unary calls, and this keeps them close to a generated stub's cost.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import functools
import time
from collections.abc import Sequence
from typing import Any

import grpc
from google.protobuf import descriptor, message, message_factory
from wirecall.core.errors import CollectionError, RemoteProtocolError
from wirecall.core.exchange import Exchange
from wirecall.core.records import Message, Response
from wirecall.core.streams import StopCondition, StreamSpec
from wirecall.plugins.grpc import codec, plain, wellknown
from wirecall.plugins.grpc.channels import ChannelKey, Proxies, channel_key, open_channel
from wirecall.plugins.grpc.compile import compile_protos, load_protoset
from wirecall.plugins.grpc.deadlines import Deadlines
from wirecall.plugins.grpc.descriptors import DescriptorSource, FileSource
from wirecall.plugins.grpc.errors import code_name, code_number, status_error
from wirecall.plugins.grpc.reflection import ReflectionClient, ReflectionSource
from wirecall.plugins.grpc.request import GrpcRequest, metadata_text, target_of

STATUS_DETAILS_KEY = "grpc-status-details-bin"
Metadata = Sequence[tuple[str, str | bytes]]


@dataclasses.dataclass(frozen=True)
class Method:
    """A method with what each call of it reuses: looked up and built once per run."""

    descriptor: descriptor.MethodDescriptor
    source: DescriptorSource
    channel: grpc.aio.Channel
    stub: Any  # the grpc.aio multicallable, as a generated stub holds it
    input_class: type[message.Message]
    unary: bool  # neither side streams: the reply is awaited directly


def _method_key(request: GrpcRequest, exchange: Exchange) -> tuple[Any, ...]:
    """What decides a request's method, channel and descriptor source, as it comes: cheaper
    to build and hash than the channel key, which is worked out only for a new one."""
    settings = exchange.settings
    key = (
        request.method,
        request.url,
        request.descriptors,
        request.transport,
        exchange.endpoint_for,
        settings.working_dir,
        settings.transport,
        settings.trust_env,
    )
    if request.transport.tls is None:
        return key
    return (  # what choose_tls reads besides the above
        *key,
        settings.verify_tls,
        settings.ca_bundle,
        settings.client_cert,
        settings.client_key,
        settings.client_key_passphrase,
        settings.client_pfx,
    )


def _stub(channel: grpc.aio.Channel, method: descriptor.MethodDescriptor) -> Any:
    """The multicallable for ``method``, with the (de)serializers of its message classes."""
    kinds = {
        (False, False): channel.unary_unary,
        (False, True): channel.unary_stream,
        (True, False): channel.stream_unary,
        (True, True): channel.stream_stream,
    }
    return kinds[(method.client_streaming, method.server_streaming)](
        f"/{method.containing_service.full_name}/{method.name}",
        request_serializer=message_factory.GetMessageClass(method.input_type).SerializeToString,
        response_deserializer=message_factory.GetMessageClass(method.output_type).FromString,
        _registered_method=True,  # what generated stubs ask for: grpc resolves the path once
    )


class Session:
    """Channels, descriptor sources, methods and proxies kept for a run (or one CLI command),
    and the calls."""

    def __init__(self) -> None:
        self._channels: dict[ChannelKey, grpc.aio.Channel] = {}
        self._sources: dict[Any, DescriptorSource] = {}
        self._methods: dict[tuple[Any, ...], Method] = {}
        self._proxies = Proxies()
        self._deadlines = Deadlines()

    async def aclose(self) -> None:
        channels, self._channels = list(self._channels.values()), {}
        self._sources.clear()
        self._methods.clear()
        self._deadlines.close()
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
        transport = key.transport._replace(
            max_receive_bytes=None, max_send_bytes=None, compression=None
        )
        key = key._replace(transport=transport)
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

    def channel_key(self, request: GrpcRequest, exchange: Exchange) -> ChannelKey:
        endpoint = exchange.endpoint_for(request.url)
        target = (
            f"unix:{endpoint.path}"
            if endpoint is not None and endpoint.kind == "unix"
            else target_of(request.url)
        )
        return channel_key(request, target, exchange.settings, self._proxies)

    async def descriptors(
        self, request: GrpcRequest, exchange: Exchange
    ) -> tuple[ChannelKey, DescriptorSource]:
        """The channel settings of ``request`` and its (cached) descriptor source."""
        key = self.channel_key(request, exchange)
        timeout = _seconds(request.deadline_ms or exchange.settings.timeout_request_ms)
        return key, await self.source(request, key, exchange.settings.working_dir, timeout)

    async def method(self, request: GrpcRequest, exchange: Exchange) -> Method:
        """The request's method, resolved on its first call and kept for the run."""
        key = _method_key(request, exchange)
        return self._methods.get(key) or await self._resolve(key, request, exchange)

    async def _resolve(
        self, key: tuple[Any, ...], request: GrpcRequest, exchange: Exchange
    ) -> Method:
        channel_key, source = await self.descriptors(request, exchange)
        desc = await source.find_method(request.method)
        channel = await self.channel(channel_key)
        input_class = message_factory.GetMessageClass(desc.input_type)
        unary = not desc.client_streaming and not desc.server_streaming
        found = Method(desc, source, channel, _stub(channel, desc), input_class, unary)
        self._methods[key] = found
        return found

    # -- the call ------------------------------------------------------------------------

    async def send(self, request: GrpcRequest, exchange: Exchange) -> Response:
        started = time.perf_counter()
        key = _method_key(request, exchange)
        method = self._methods.get(key) or await self._resolve(key, request, exchange)
        first = await self._check_messages(request, exchange, method)
        call = _Call(request, exchange, method, self._deadlines)
        timeout = _seconds(request.deadline_ms or exchange.settings.timeout_request_ms)
        run = call.unary if method.unary else call.stream
        rpc = await run(first, timeout)
        code = grpc.StatusCode.OK if call.replied else await rpc.code()
        status_message = await rpc.details() or ""
        trailers = await rpc.trailing_metadata()
        if code is not grpc.StatusCode.OK and not call.cancelled_by_client:
            connected = method.channel.get_state() is grpc.ChannelConnectivity.READY
            error = status_error(code, status_message, connected)
            if error is not None:
                raise error
        unary_response = not method.descriptor.server_streaming
        ok = code is grpc.StatusCode.OK or call.cancelled_by_client
        trailer_pairs = metadata_text(trailers)
        # positional: a dataclass takes 13 keyword arguments at twice the cost (~7k
        # instructions of a unary call)
        return Response(
            "grpc",  # protocol
            code_number(code),  # code
            code_name(code),  # status
            (  # headers
                call.headers
                if call.headers is not None
                else metadata_text(await rpc.initial_metadata())
            ),
            call.last.data.encode() if unary_response and call.last else b"",  # body
            exchange.messages,  # messages
            trailer_pairs,  # trailers
            (time.perf_counter() - started) * 1000,  # response_time_ms
            None,  # http_version
            request.url,  # url
            ok,  # ok
            "" if ok else ": ".join(filter(None, (code_name(code), status_message))),  # failure
            {  # extra
                "method": request.method,
                "statusMessage": status_message,
                "details": await status_details(method.source, trailers) if trailer_pairs else [],
                "stopReason": exchange.stop_reason if call.cancelled_by_client else None,
            },
        )

    async def _check_messages(
        self, request: GrpcRequest, exchange: Exchange, method: Method
    ) -> message.Message:
        """Check every message of the item before anything is sent; the first one, parsed."""
        outgoing = exchange.stream.outgoing
        desc = method.descriptor
        if len(outgoing) > 1 and not desc.client_streaming:
            raise CollectionError(
                f"{desc.name} takes one request message, not {len(outgoing)}",
                request.at.child("messages"),
            )
        first = None
        for index, out in enumerate(outgoing):
            parsed = plain.to_message(desc.input_type, method.input_class, out.data)
            if parsed is None:
                parsed = await codec.to_message(
                    method.source,
                    desc.input_type,
                    out.data,
                    request.at,
                    ("messages", index, "data"),
                )
            first = parsed if first is None else first
        return first if first is not None else method.input_class()


def _seconds(ms: float | None) -> float | None:
    return ms / 1000 if ms else None


@functools.lru_cache(maxsize=256)
def _server_ends(until: StopCondition) -> StopCondition:
    """``until`` without the idle timeout: a gRPC stream ends when the server ends it (unless
    the item gives until.idleMs)."""
    return dataclasses.replace(until, idle_ms=None)


def _expiry(exchange: Exchange, started: float, idle: bool) -> float | None:
    """The loop time at which the exchange's total or (if ``idle``) idle timeout ends a unary
    call's wait for its reply (None: neither applies). The total time counts from
    ``started``, the idle time from the last message, as ``Exchange.streaming()`` counts them
    for streams."""
    until = exchange.until
    total = None if until.timeout_ms is None else started + until.timeout_ms / 1000
    if not idle or until.idle_ms is None:
        return total
    now = asyncio.get_running_loop().time()
    idle_end = now + (until.idle_ms - exchange.idle_ms()) / 1000
    return idle_end if total is None else min(total, idle_end)


def _cancelling() -> int:
    """How many cancellations of the running task are pending (its own, not its call's)."""
    task = asyncio.current_task()
    return task.cancelling() if task is not None else 0


def _expired(exchange: Exchange, started: float) -> str:
    """Which of the two ended the wait, in the words ``Exchange.streaming()`` uses."""
    until = exchange.until
    elapsed_ms = (asyncio.get_running_loop().time() - started) * 1000
    if until.timeout_ms is not None and elapsed_ms >= until.timeout_ms:
        return f"timeout after {until.timeout_ms:g} ms"
    return f"idle for {until.idle_ms:g} ms"


class _Reply:
    """A unary call's reply as a one-message stream: the exchange's stop conditions apply to
    it as to a server stream (the reader takes that one message and stops)."""

    def __init__(self, rpc: Any) -> None:
        self._rpc: Any = rpc

    def __aiter__(self) -> _Reply:
        return self

    async def __anext__(self) -> Any:
        if self._rpc is None:
            raise StopAsyncIteration
        rpc, self._rpc = self._rpc, None
        return await rpc


class _Call:
    """One RPC: writes the exchange's messages, reads the responses, honours stop conditions."""

    def __init__(
        self, request: GrpcRequest, exchange: Exchange, method: Method, deadlines: Deadlines
    ) -> None:
        self.request = request
        self.exchange = exchange
        self.method = method
        self.deadlines = deadlines
        self.emit_defaults = request.emit_defaults
        self.cancelled_by_client = False
        self.replied = False  # a unary call's reply came (grpc gives one only with status OK)
        self.headers: list[tuple[str, str]] | None = None  # once the first response came
        self.last: Message | None = None  # the last response
        self._response_metadata: list[dict[str, str]] = []

    async def stream(self, first: message.Message, timeout: float | None) -> Any:
        """Run a call in which either side streams, inside ``exchange.streaming()``."""
        desc = self.method.descriptor
        metadata = tuple(self.request.metadata)
        exchange = self.exchange
        if not self.request.idle_given and exchange.until.idle_ms is not None:
            exchange.stream = StreamSpec(exchange.stream.outgoing, _server_ends(exchange.until))
        async with exchange.streaming():
            if desc.client_streaming:
                rpc = self.method.stub(metadata=metadata, timeout=timeout)
                writer = asyncio.create_task(self._write(rpc))
                writer.add_done_callback(lambda task: _cancel_on_error(task, rpc))
            else:
                rpc = self.method.stub(first, metadata=metadata, timeout=timeout)
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

    async def unary(self, first: message.Message, timeout: float | None) -> Any:
        """Send, then wait for the reply. Only a stop by the time the request went out, or the
        exchange's total or idle timeout expiring while waiting, ends the wait early: a unary
        call has no other stop condition (scripts only see its two messages)."""
        exchange = self.exchange
        started = asyncio.get_running_loop().time()
        rpc = self.method.stub(first, metadata=tuple(self.request.metadata), timeout=timeout)
        try:
            await self._sent(first)
            if not exchange.stopped.is_set():
                when = _expiry(exchange, started, self.request.idle_given)
                with self.deadlines.watch(when, rpc.cancel) as watch:
                    try:
                        reply = await rpc
                    except asyncio.CancelledError:
                        if not watch.expired or _cancelling():
                            raise  # cancelled from outside, not by the timeout
                        exchange.stop(_expired(exchange, started))
                        return rpc
                self.replied = True
                await self._received(rpc, reply)
        except grpc.aio.AioRpcError:
            pass  # the status is read from the call
        finally:
            if not rpc.done():  # stopped before the server answered
                self.cancelled_by_client = True
                rpc.cancel()
            exchange.stop(exchange.stop_reason or "stream ended")
        return rpc

    async def _read(self, rpc: Any) -> None:
        streaming = self.method.descriptor.server_streaming
        replies = self.exchange.until_stopped(rpc if streaming else _Reply(rpc))
        async with contextlib.aclosing(replies):
            async for response in replies:
                if not await self._received(rpc, response) or not streaming:
                    return

    async def _write(self, rpc: Any) -> None:
        """Send the item's messages (then, unless half-closing, those scripts queue)."""
        count = len(self.exchange.stream.outgoing)
        half_close = self.request.half_close or not self.method.descriptor.server_streaming
        sent = 0
        if count or not half_close:
            async with contextlib.aclosing(self.exchange.outgoing()) as outgoing:
                async for out in outgoing:
                    msg = await codec.to_message(
                        self.method.source,
                        self.method.descriptor.input_type,
                        out.data,
                        self.request.at,
                        ("messages", sent, "data"),
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
        text = codec.direct_json(msg, self.emit_defaults) or await codec.to_json(
            self.method.source, msg, self.emit_defaults
        )
        await self.exchange.sent(Message("sent", text, "json"))

    async def _received(self, rpc: Any, msg: message.Message) -> bool:
        if self.headers is None:
            self.headers = metadata_text(await rpc.initial_metadata())
            if self.headers:
                self._response_metadata = [{"key": k, "value": v} for k, v in self.headers]
        text = codec.direct_json(msg, self.emit_defaults) or await codec.to_json(
            self.method.source, msg, self.emit_defaults
        )
        self.last = Message("received", text, "json", fields={"metadata": self._response_metadata})
        return await self.exchange.receive(self.last)


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
    if trailers is None:
        return []
    raw = next((v for k, v in trailers if k == STATUS_DETAILS_KEY), None)
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
