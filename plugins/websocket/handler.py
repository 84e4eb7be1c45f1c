"""WebSocketHandler: one connection per item, messages through the shared stream model.

Request shape (an item's ``request`` with ``"protocol": "websocket"``; see
docs/protocols/websocket.md)::

    {"url": "ws://host/path?q=1", "header": [{"key": "X-Token", "value": "t"}],
     "subprotocols": ["chat.v2", "chat.v1"],
     "messages": [{"data": "hi"}, {"data": {"a": 1}, "type": "json", "delayMs": 100},
                  {"data": "AAEC", "type": "binary", "encoding": "base64"},
                  {"file": "frame.bin", "type": "binary"}],
     "until": {"messages": 2, "idleMs": 500, "timeoutMs": 5000, "match": "regex"},
     "pingIntervalMs": 20000, "connectTimeoutMs": 10000, "maxSize": 1048576,
     "compression": true, "close": {"code": 1000, "reason": ""},
     "proxy": "http://proxy:3128", "tls": {"verify": true, "ca": "...", "cert": "...", "key": "..."}}

``websockets`` is imported inside ``send`` only, so listing protocols stays cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from wirecall.core.auth.handshake import HandshakeTarget, parse_handshake
from wirecall.core.errors import CollectionError, Location
from wirecall.core.protocol import ProtocolHandler
from wirecall.core.records import Message, Response
from wirecall.core.streams import StreamSpec, monotonic_ms
from wirecall.core.tls import client_context, parse_tls
from wirecall.core.transport_settings import proxy_for
from wirecall.plugins.websocket import payload
from wirecall.plugins.websocket.burst import Burst, chunks, write_frames
from wirecall.plugins.websocket.errors import PROTOCOL, map_errors

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection
    from wirecall.core.exchange import Exchange

SCHEMES = ("ws", "wss")
OK_CLOSE_CODES = (1000, 1001)


@dataclass
class WebSocketRequest:
    handshake: HandshakeTarget
    stream: StreamSpec = field(default_factory=StreamSpec)
    subprotocols: list[str] = field(default_factory=list)
    ping_interval_ms: float | None = 20000
    connect_timeout_ms: float | None = None
    max_size: int | None = 2**20
    compression: bool = True
    close_code: int = 1000
    close_reason: str = ""
    proxy: str | None = None
    tls: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.handshake.url


class WebSocketHandler(ProtocolHandler):
    name = PROTOCOL
    schemes = SCHEMES
    streaming = True

    def parse(self, raw: Mapping[str, Any], at: Location) -> WebSocketRequest:
        handshake = parse_handshake(PROTOCOL, raw, at, SCHEMES)
        spec = StreamSpec.from_request(raw, at)
        listed = at.child("messages")
        for index, message in enumerate(spec.outgoing):
            payload.check(message, listed, index)
        close = raw.get("close") or {}
        if not isinstance(close, Mapping):
            raise CollectionError("expected an object with code and reason", at.child("close"))
        return WebSocketRequest(
            handshake=handshake,
            stream=spec,
            subprotocols=_strings(raw.get("subprotocols"), at.child("subprotocols")),
            ping_interval_ms=_number(raw, "pingIntervalMs", at, 20000),
            connect_timeout_ms=_number(raw, "connectTimeoutMs", at, None),
            max_size=_number(raw, "maxSize", at, 2**20),
            compression=bool(raw.get("compression", True)),
            close_code=_close_code(close.get("code", 1000), at.child("close").child("code")),
            close_reason=str(close.get("reason", "")),
            proxy=raw.get("proxy") or None,
            tls=parse_tls(raw.get("tls"), at.child("tls")),
        )

    def describe(self, request: WebSocketRequest) -> dict[str, Any]:
        return {
            "url": request.url,
            "headers": [{"key": k, "value": v} for k, v in request.handshake.headers],
            "subprotocols": request.subprotocols,
        }

    def auth_target(self, request: WebSocketRequest) -> HandshakeTarget:
        return request.handshake

    async def send(self, request: WebSocketRequest, exchange: Exchange) -> Response:
        from websockets.asyncio.client import connect, unix_connect

        started = monotonic_ms()
        options = self._options(request, exchange)
        endpoint = exchange.endpoint_for(request.url)
        with map_errors(request.url):
            if endpoint is not None:
                ws = await unix_connect(endpoint.path, endpoint.url, **options)
            else:
                ws = await connect(request.url, **options)
        handshake_ms = monotonic_ms() - started
        try:
            await _stream(ws, request, exchange)
        finally:
            await ws.close(request.close_code, request.close_reason)
        return _response(ws, request, exchange, handshake_ms, monotonic_ms() - started)

    def _options(self, request: WebSocketRequest, exchange: Exchange) -> dict[str, Any]:
        settings = exchange.settings
        timeout_ms = request.connect_timeout_ms or settings.timeout_request_ms or 10000
        secure = urlsplit(request.url).scheme == "wss"
        return {
            "additional_headers": request.handshake.headers,
            "subprotocols": request.subprotocols or None,
            "open_timeout": timeout_ms / 1000,
            "ping_interval": request.ping_interval_ms / 1000 if request.ping_interval_ms else None,
            "max_size": request.max_size or None,
            "compression": "deflate" if request.compression else None,
            "ssl": client_context(settings, request.tls, host=request.url) if secure else None,
            "proxy": request.proxy or proxy_for(settings, request.url),
            "user_agent_header": "wirecall",
        }


async def _stream(ws: ClientConnection, request: WebSocketRequest, exchange: Exchange) -> None:
    """Send the outgoing messages while handing every incoming frame to core."""
    from websockets.exceptions import ConnectionClosed

    async with exchange.streaming():
        writer = asyncio.create_task(_write(ws, exchange))
        try:
            async for frame in exchange.until_stopped(_Frames(ws)):
                if not await exchange.receive(Message("received", frame, _kind(frame))):
                    break
        except ConnectionClosed as exc:  # a normal close too: the server's, or it failed
            exchange.stop("closed by server" if exc.rcvd else f"connection failed: {exc}")
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer  # re-raises a message that could not be encoded


class _Frames:
    """The connection's messages, each its own ``recv()``: ``async for`` over the connection
    puts an async generator's turn in every message's way, and ends a normal close quietly
    where ``recv()`` raises ConnectionClosedOK (which ``_stream`` reports the same way)."""

    def __init__(self, ws: ClientConnection) -> None:
        self._recv = ws.recv

    def __aiter__(self) -> _Frames:
        return self

    def __anext__(self) -> Awaitable[str | bytes]:
        return self._recv()


async def _write(ws: ClientConnection, exchange: Exchange) -> None:
    """Send the outgoing messages, each run that is due together in as few writes as
    flow control allows, and report each message once it is on its way."""
    from websockets.exceptions import ConnectionClosed

    at = Location(json_path="$.request.messages")
    index = 0
    burst = Burst(ws.transport.get_extra_info("socket"))
    working_dir = exchange.settings.working_dir
    try:
        async for outgoing in exchange.bursts():
            frames: list[str | bytes] = []
            error: Exception | None = None
            for message in outgoing:
                try:
                    frames.append(payload.encode(message, at, index, working_dir=working_dir))
                except Exception as exc:  # the messages before it still go
                    error = exc
                    break
                index += 1
            for chunk in chunks(frames):
                burst.hold()  # a run of writes leaves together
                await write_frames(ws, chunk)
                await exchange.sent_all([Message("sent", f, _kind(f)) for f in chunk])
            if error is not None:
                raise error
    except ConnectionClosed:
        return  # the reader sees the close and records it
    except Exception:
        exchange.stop("a message could not be sent")
        raise


def _response(
    ws: ClientConnection,
    request: WebSocketRequest,
    exchange: Exchange,
    handshake_ms: float,
    total_ms: float,
) -> Response:
    from websockets.frames import CLOSE_CODE_EXPLANATIONS

    rcvd, sent = ws.protocol.close_rcvd, ws.protocol.close_sent
    by_server = rcvd is not None and ws.protocol.close_rcvd_then_sent is not False
    frame = rcvd or sent  # a failed connection only has the code we sent (1009 message too big)
    code = int(frame.code) if frame else 1006
    reason = frame.reason if frame else ""
    clean = code in OK_CLOSE_CODES or (not by_server and code == request.close_code)
    return Response(
        protocol=PROTOCOL,
        code=code,
        status=reason or CLOSE_CODE_EXPLANATIONS.get(code, "Closed"),
        headers=list(ws.response.headers.raw_items()) if ws.response else [],
        messages=exchange.messages,
        response_time_ms=total_ms,
        url=request.url,
        ok=clean,
        extra={
            "handshakeStatus": ws.response.status_code if ws.response else None,
            "handshakeMs": handshake_ms,
            "subprotocol": ws.subprotocol,
            "closedBy": "server" if by_server else "client",
            "closeCode": code,
            "closeReason": reason,
            "stopReason": exchange.stop_reason,
        },
    )


def _kind(frame: str | bytes) -> str:
    return "binary" if isinstance(frame, bytes) else "text"


def _strings(raw: Any, at: Location) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise CollectionError("expected a list of strings", at)
    return list(raw)


def _number(raw: Mapping[str, Any], key: str, at: Location, default: Any) -> Any:
    value = raw.get(key, default)
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
    ):
        raise CollectionError(f"expected {key} to be a number >= 0", at.child(key))
    return value


def _close_code(value: Any, at: Location) -> int:
    if not isinstance(value, int) or not (value == 1000 or 3000 <= value <= 4999):
        raise CollectionError("expected a close code: 1000 or 3000-4999", at)
    return value
