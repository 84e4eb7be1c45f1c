"""SocketIOHandler: connect one namespace, emit events (with acks), record every event received.

Request shape (an item's ``request`` with ``"protocol": "socketio"``; see
docs/protocols/socketio.md)::

    {"url": "http://host:3000", "path": "/socket.io", "namespace": "/chat",
     "auth": {"token": "..."}, "header": [{"key": "X-Trace", "value": "1"}],
     "transports": ["websocket", "polling"], "listen": ["news", "tick"],
     "messages": [{"event": "join", "args": ["room1"], "ack": true, "delayMs": 100}],
     "until": {"messages": 3, "event": "news", "idleMs": 1000, "timeoutMs": 5000},
     "reconnection": {"attempts": 3, "delayMs": 500, "delayMaxMs": 2000},
     "connectTimeoutMs": 5000, "tls": {"verify": false}}

Received events are messages of type ``event`` with fields ``{event, args, namespace}``; an
acknowledgement of an emitted event is a message of type ``ack`` with the emitted event's name.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from wirecall.core.auth.handshake import HandshakeTarget, parse_handshake
from wirecall.core.errors import CollectionError, Location
from wirecall.core.protocol import ProtocolHandler
from wirecall.core.records import Message, Response
from wirecall.core.streams import Outgoing, StreamSpec, monotonic_ms
from wirecall.core.tls import client_context, parse_tls
from wirecall.core.transport_settings import proxy_for
from wirecall.plugins.socketio.errors import PROTOCOL, map_errors

if TYPE_CHECKING:
    import socketio
    from wirecall.core.exchange import Exchange

SCHEMES = ("http", "https", "ws", "wss")
TRANSPORTS = ("websocket", "polling")
CLEAN_REASONS = ("client disconnect", "server disconnect")
DEFAULT_EVENT = "message"  # what socket.send() emits


@dataclass
class SocketIORequest:
    handshake: HandshakeTarget
    namespace: str = "/"
    path: str = "socket.io"
    auth: Any = None
    transports: list[str] | None = None
    listen: list[str] = field(default_factory=list)
    reconnection: dict[str, Any] | None = None
    connect_timeout_ms: float | None = None
    tls: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.handshake.url


@dataclass(frozen=True)
class _Disconnected:
    reason: str


class SocketIOHandler(ProtocolHandler):
    name = PROTOCOL
    schemes = SCHEMES
    streaming = True

    def parse(self, raw: Mapping[str, Any], at: Location) -> SocketIORequest:
        handshake = parse_handshake(PROTOCOL, raw, at, SCHEMES)
        url, namespace_in_url = _split_namespace(handshake.url)
        handshake.url = url
        spec = StreamSpec.from_request(raw, at)
        for index, message in enumerate(spec.outgoing):
            emission(message, at.child("messages").child(index))
        return SocketIORequest(
            handshake=handshake,
            namespace=_namespace(raw.get("namespace", namespace_in_url), at.child("namespace")),
            path=_path(raw.get("path", "/socket.io"), at.child("path")),
            auth=raw.get("auth"),
            transports=_transports(raw.get("transports"), at.child("transports")),
            listen=_strings(raw.get("listen"), at.child("listen")),
            reconnection=_reconnection(raw.get("reconnection"), at.child("reconnection")),
            connect_timeout_ms=_timeout(raw.get("connectTimeoutMs"), at.child("connectTimeoutMs")),
            tls=parse_tls(raw.get("tls"), at.child("tls")),
        )

    def describe(self, request: SocketIORequest) -> dict[str, Any]:
        return {
            "url": request.url,
            "namespace": request.namespace,
            "headers": [{"key": k, "value": v} for k, v in request.handshake.headers],
            "transports": request.transports or list(TRANSPORTS),
        }

    def auth_target(self, request: SocketIORequest) -> HandshakeTarget:
        return request.handshake

    async def send(self, request: SocketIORequest, exchange: Exchange) -> Response:
        import aiohttp
        import socketio

        started = monotonic_ms()
        secure = urlsplit(request.url).scheme in ("https", "wss")
        # our own session, closed below whatever happens (the library leaks its own on failures)
        ssl = client_context(exchange.settings, request.tls, host=request.url) if secure else None
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=ssl) if ssl else None,
            trace_configs=[_release_unread()],
            proxy=proxy_for(exchange.settings, request.url),  # aiohttp: http:// proxies only
        )
        try:
            client = socketio.AsyncClient(
                handle_sigint=False, http_session=session, **_reconnect_options(request)
            )
            inbox: asyncio.Queue[Message | _Disconnected] = asyncio.Queue()
            refusal = _listen(client, request, inbox)
            timeout_s = (
                request.connect_timeout_ms or exchange.settings.timeout_request_ms or 10000
            ) / 1000
            with map_errors(request.url, request.namespace, refusal, timeout_s):
                await client.connect(
                    request.url,
                    headers=dict(request.handshake.headers),
                    auth=request.auth,
                    transports=request.transports,
                    namespaces=[request.namespace],
                    socketio_path=request.path,
                    wait_timeout=timeout_s,
                )
            connected_ms = monotonic_ms() - started
            transport = client.transport()
            try:
                reason = await _stream(client, request, exchange, inbox)
            finally:
                await client.disconnect()
                # engineio's read loop ends after its write loop, which otherwise may still
                # be running and open a session of its own after ours is closed
                await client.eio.wait()
        finally:
            await session.close()
        return Response(
            protocol=PROTOCOL,
            code=101 if transport == "websocket" else 200,
            status=reason or "client disconnect",
            messages=exchange.messages,
            response_time_ms=monotonic_ms() - started,
            url=request.url,
            ok=reason is None or reason in CLEAN_REASONS,
            extra={
                "transport": transport,
                "namespace": request.namespace,
                "connectMs": connected_ms,
                "disconnectReason": reason or "client disconnect",
                "stopReason": exchange.stop_reason,
            },
        )


def _release_unread() -> Any:
    """python-engineio never reads polling POST answers nor a failed poll; release them."""
    import aiohttp

    async def on_end(session: Any, context: Any, params: Any) -> None:
        failed_poll = params.response.status >= 300 and "sid=" in params.url.query_string
        if params.method == "POST" or failed_poll:
            params.response.release()

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_end)
    return trace


def _listen(
    client: socketio.AsyncClient,
    request: SocketIORequest,
    inbox: asyncio.Queue[Message | _Disconnected],
) -> list[Any]:
    """Route listened events and the disconnect into ``inbox``; return where a refusal lands."""
    namespace = request.namespace
    refusal: list[Any] = []

    def record(event: str, *args: Any) -> None:
        inbox.put_nowait(event_message("received", "event", event, list(args), namespace))

    if request.listen:
        for event in request.listen:
            client.on(event, lambda *args, _event=event: record(_event, *args), namespace=namespace)
    else:
        client.on("*", record, namespace=namespace)
    client.on("connect_error", lambda data=None: refusal.append(data), namespace=namespace)

    def disconnected(reason: str = "server disconnect") -> None:
        inbox.put_nowait(_Disconnected(str(reason)))

    client.on("disconnect", disconnected, namespace=namespace)
    return refusal


async def _stream(
    client: socketio.AsyncClient,
    request: SocketIORequest,
    exchange: Exchange,
    inbox: asyncio.Queue[Message | _Disconnected],
) -> str | None:
    """Emit while handing received events and acks to core; the server's disconnect reason, if any."""
    reason = None
    async with exchange.streaming():
        writer = asyncio.create_task(_write(client, request, exchange, inbox))
        try:
            async for item in exchange.until_stopped(_Inbox(inbox)):
                if isinstance(item, _Disconnected):
                    if request.reconnection and item.reason not in CLEAN_REASONS:
                        continue  # the client reconnects by itself; stop conditions still apply
                    reason = item.reason
                    exchange.stop(f"disconnected: {reason}")
                    break
                if not await exchange.receive(item):
                    break
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer  # re-raises an emission that could not be built
    return reason


async def _write(
    client: socketio.AsyncClient,
    request: SocketIORequest,
    exchange: Exchange,
    inbox: asyncio.Queue[Message | _Disconnected],
) -> None:
    at = Location(json_path="$.request.messages")
    index = 0
    try:
        async for outgoing in exchange.outgoing():
            event, args, ack = emission(outgoing, at.child(index))
            index += 1
            namespace = str(outgoing.fields.get("namespace") or request.namespace)

            def acked(*reply: Any, _event: str = event, _namespace: str = namespace) -> None:
                inbox.put_nowait(event_message("received", "ack", _event, list(reply), _namespace))

            data = args[0] if len(args) == 1 else (tuple(args) if args else None)
            await client.emit(event, data, namespace=namespace, callback=acked if ack else None)
            sent = event_message("sent", "event", event, args, namespace)
            sent.fields["ack"] = ack
            await exchange.sent(sent)
    except Exception:
        exchange.stop("a message could not be sent")
        raise


class _Inbox:
    """An async iterator over a queue, so ``exchange.until_stopped`` can read it."""

    def __init__(self, queue: asyncio.Queue[Message | _Disconnected]) -> None:
        self._queue = queue

    def __aiter__(self) -> _Inbox:
        return self

    async def __anext__(self) -> Message | _Disconnected:
        return await self._queue.get()


def emission(message: Outgoing, at: Location) -> tuple[str, list[Any], bool]:
    """(event, args, ack) of an item message: ``{"event", "args": [...] | "data": v, "ack"}``."""
    fields = message.fields
    event = fields.get("event", DEFAULT_EVENT)
    if not isinstance(event, str) or not event:
        raise CollectionError("expected event to be an event name", at.child("event"))
    args = fields.get("args")
    if args is None:
        args = [] if message.data is None else [message.data]
    elif not isinstance(args, list):
        raise CollectionError("expected args to be a list of arguments", at.child("args"))
    ack = fields.get("ack", False)
    if not isinstance(ack, bool):
        raise CollectionError("expected ack to be true or false", at.child("ack"))
    return event, args, ack


def event_message(
    direction: str, kind: str, event: str, args: list[Any], namespace: str
) -> Message:
    """A Message for an event or ack; ``data`` is the single string argument or the JSON of the args."""
    args = [_jsonable(a) for a in args]
    if len(args) == 1:
        data = args[0] if isinstance(args[0], str) else json.dumps(args[0])
    else:
        data = json.dumps(args) if args else ""
    fields = {"event": event, "args": args, "namespace": namespace}
    return Message(direction, data, kind, fields=fields)  # type: ignore[arg-type]


def _jsonable(value: Any) -> Any:
    """Binary attachments are kept as base64 text so records stay JSON."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _split_namespace(url: str) -> tuple[str, str]:
    """``http://host/chat`` means namespace /chat, as in the JavaScript client's ``io(url)``."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        return url, "/"
    base = urlunsplit((parts.scheme, parts.netloc, "", parts.query, ""))
    return base, parts.path.rstrip("/") or "/"


def _namespace(value: Any, at: Location) -> str:
    if not isinstance(value, str) or not value.startswith("/"):
        raise CollectionError("expected a namespace starting with /", at)
    return value


def _path(value: Any, at: Location) -> str:
    if not isinstance(value, str) or not value.strip("/"):
        raise CollectionError("expected the server's Socket.IO path, such as /socket.io", at)
    return value.strip("/")


def _transports(value: Any, at: Location) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or any(t not in TRANSPORTS for t in value):
        raise CollectionError(f"expected a list of transports: {', '.join(TRANSPORTS)}", at)
    return list(value)


def _strings(value: Any, at: Location) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
        raise CollectionError("expected a list of event names", at)
    return list(value)


def _timeout(value: Any, at: Location) -> float | None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
    ):
        raise CollectionError("expected a number of milliseconds > 0", at)
    return value


def _reconnection(value: Any, at: Location) -> dict[str, Any] | None:
    if value is None or value is False:
        return None
    if value is True:
        return {}
    if not isinstance(value, Mapping):
        raise CollectionError("expected false or an object with attempts, delayMs, delayMaxMs", at)
    for key in ("attempts", "delayMs", "delayMaxMs"):
        if key in value and (not isinstance(value[key], (int, float)) or value[key] < 0):
            raise CollectionError(f"expected {key} to be a number >= 0", at.child(key))
    return dict(value)


def _reconnect_options(request: SocketIORequest) -> dict[str, Any]:
    """python-socketio's reconnection settings; off unless the item asks (tests must not linger)."""
    settings = request.reconnection
    if settings is None:
        return {"reconnection": False}
    return {
        "reconnection": True,
        "reconnection_attempts": int(settings.get("attempts", 0)),
        "reconnection_delay": settings.get("delayMs", 1000) / 1000,
        "reconnection_delay_max": settings.get("delayMaxMs", 5000) / 1000,
    }
