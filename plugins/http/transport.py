"""PlainTransport: plain ``http://`` HTTP/1.1 on asyncio, kept alive per origin; the rest to httpcore.

httpx's own transport runs every request through httpcore's pool, anyio streams and h11's
state machine: about 0.45 ms per request here, more than the rest of a run's request. This
transport writes the request head and body in one go, reads with one asyncio Protocol per
connection and parses with h11's rules (plugins/http/wire.py), so bytes, framing, errors
and their messages stay those of httpcore. Anything else (https, HTTP/2, a request whose
head h11 would refuse or rewrite) goes to the ``fallback`` transport, httpcore's.

A connection is reused while both sides keep it alive and it has been idle for at most the
keep-alive expiry. A request that finds its reused connection closed before any byte of a
response came back (the server dropped the idle connection) is sent once more on a new one.

Besides httpx's transport interface, the handler's plain path (plugins/http/plain.py) sends
a request head and body here directly (:meth:`PlainTransport.send_plain`) and, for a response
it leaves to httpx, has it answered once from what already arrived (:meth:`replay`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
from wirecall.plugins.http.connection import Connection, open_connection
from wirecall.plugins.http.wire import (
    MAX_HEAD_BYTES,
    RequestHead,
    ResponseHead,
    block_end,
    chunk_size,
    head_end,
    parse_fields,
    parse_head,
    request_head,
)

# httpx's own defaults (httpx.Limits() alone has none): at most 20 idle connections, 5 s each
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
SMALL_BODY = 64 * 1024  # bodies up to this size go out in the same write as the head
Origin = tuple[str, int]
Timeouts = dict[str, float | None]  # httpx's timeout extension: connect, read, write, pool


class _Dead(Exception):
    """The connection closed before any byte of the response: maybe a stale kept-alive one."""

    def __init__(self, error: httpx.TransportError) -> None:
        super().__init__(str(error))
        self.error = error


class PlainTransport(httpx.AsyncBaseTransport):
    """Plain HTTP/1.1 requests on pooled asyncio connections; every other one to the
    transport ``fallback`` makes, on first need (an https transport loads the system's CA
    store: ~40 ms that a plain-HTTP run should not pay)."""

    def __init__(
        self,
        fallback: Callable[[], httpx.AsyncBaseTransport],
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        self._make_fallback = fallback
        self._fallback: httpx.AsyncBaseTransport | None = None
        self._idle: dict[Origin, list[Connection]] = {}
        self._open: set[Connection] = set()
        self._max_idle = limits.max_keepalive_connections
        self._expiry = limits.keepalive_expiry  # None: idle connections never expire
        self._replay: tuple[httpx.Request, httpx.Response] | None = None

    def replay(self, request: httpx.Request, response: httpx.Response) -> None:
        """Answer ``request``, when it comes next, with ``response`` instead of sending it (it
        was sent on the plain path): httpx then follows its redirect, stores its cookies and
        decodes its body as for any response."""
        self._replay = (request, response)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        replay, self._replay = self._replay, None
        if replay is not None and replay[0] is request:
            return replay[1]
        url = request.url
        head = None
        if url.raw_scheme == b"http":
            head = request_head(request.method.encode(), url.raw_path, request.headers.raw)
        body = await _body(request, head) if head is not None else None
        if head is None or body is None:
            if self._fallback is None:
                self._fallback = self._make_fallback()
            return await self._fallback.handle_async_request(request)
        timeouts = request.extensions.get("timeout", {})
        origin = (url.raw_host.decode("ascii"), url.port or 80)
        stream = await self._respond(origin, head, body, timeouts)
        return httpx.Response(
            stream.head.status,
            headers=stream.head.headers,
            stream=stream,
            extensions=response_extensions(stream.head),
        )

    async def send_plain(
        self, origin: Origin, head: RequestHead, body: bytes, timeouts: Timeouts
    ) -> tuple[ResponseHead, bytes]:
        """Send a made head and its framed body (:func:`framed`); the response head and its
        whole body as it came (not decoded)."""
        stream = await self._respond(origin, head, body, timeouts)
        return stream.head, b"".join([data async for data in stream])

    async def _respond(
        self, origin: Origin, head: RequestHead, body: bytes | _Stream, timeouts: Timeouts
    ) -> _ResponseStream:
        """Send the request; its response head, with the stream of its body to read."""
        replayable = not isinstance(body, _Stream)
        connection, response = await self._exchange(origin, head, body, timeouts, replayable)
        keep = response.keep_alive and not head.close
        return _ResponseStream(self, origin, connection, response, keep, timeouts.get("read"))

    async def aclose(self) -> None:
        for connection in self._open:
            connection.close()
        self._open.clear()
        self._idle.clear()
        if self._fallback is not None:
            await self._fallback.aclose()

    async def _exchange(
        self,
        origin: Origin,
        head: RequestHead,
        body: bytes | _Stream,
        timeouts: Timeouts,
        retry: bool,
    ) -> tuple[Connection, ResponseHead]:
        """Send the request and read the response head; on a kept-alive connection that turns
        out dead before any byte of a response, once more (``retry``) on another."""
        connection = await self._acquire(origin, timeouts.get("connect"))
        try:
            await _send(connection, head, body, timeouts.get("write"))
            return connection, await _receive_head(connection, head.method, timeouts.get("read"))
        except _Dead as dead:
            self.discard(connection)
            if not (retry and connection.requests > 1):
                raise dead.error from dead.error.__cause__
        except BaseException:
            self.discard(connection)
            raise
        return await self._exchange(origin, head, body, timeouts, retry=False)

    async def _acquire(self, origin: Origin, timeout: float | None) -> Connection:
        """An idle connection to ``origin`` still fit for use, or a new one."""
        idle = self._idle.get(origin)
        now = asyncio.get_running_loop().time()
        while idle:
            connection = idle.pop()
            fresh = self._expiry is None or now - connection.idle_since <= self._expiry
            if connection.reusable() and fresh:
                connection.requests += 1
                return connection
            self.discard(connection)
        connection = await open_connection(*origin, timeout)
        self._open.add(connection)
        connection.requests = 1
        return connection

    def release(self, origin: Origin, connection: Connection, keep: bool) -> None:
        """After a response's body: back to the pool, or closed."""
        idle = self._idle.setdefault(origin, [])
        room = self._max_idle is None or sum(map(len, self._idle.values())) < self._max_idle
        if keep and room and connection.reusable():
            connection.idle_since = asyncio.get_running_loop().time()
            idle.append(connection)
        else:
            self.discard(connection)

    def discard(self, connection: Connection) -> None:
        """Close a connection that will not be used again."""
        connection.close()
        self._open.discard(connection)


class _Stream:
    """A request body given as an async stream (a multipart upload, a generator)."""

    def __init__(self, chunks: httpx.AsyncByteStream) -> None:
        self.chunks = chunks


async def _body(request: httpx.Request, head: RequestHead) -> bytes | _Stream | None:
    """The request's body framed for the wire, or a stream to frame while sending; None where
    h11 would refuse the request (its Content-Length does not match the bytes).

    Bytes (a redirect's replayed ones included) are read at once; other streams are sent as
    they come.
    """
    if not isinstance(request.stream, httpx.ByteStream):
        assert isinstance(request.stream, httpx.AsyncByteStream)
        return _Stream(request.stream)
    return framed(await request.aread(), head)


def framed(content: bytes, head: RequestHead) -> bytes | None:
    """``content`` as the body after ``head``: chunked if the head says so; None where h11
    would refuse it (its Content-Length does not match the bytes)."""
    if head.content_length is None:
        return _chunk(content) + b"0\r\n\r\n"
    return content if head.content_length == len(content) else None


def response_extensions(head: ResponseHead) -> dict[str, bytes]:
    """What httpx reads a response's version and reason phrase from."""
    return {"http_version": head.http_version, "reason_phrase": head.reason}


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data) if data else b""


async def _send(
    connection: Connection, head: RequestHead, body: bytes | _Stream, timeout: float | None
) -> None:
    if isinstance(body, bytes):
        if len(body) <= SMALL_BODY:
            await connection.send(head.data + body, timeout)
        else:
            await connection.send(head.data, timeout)
            await connection.send(body, timeout)
        return
    await connection.send(head.data, timeout)
    declared, sent = head.content_length, 0
    async for data in body.chunks:
        sent += len(data)
        if declared is None:
            await connection.send(_chunk(data), timeout)
            continue
        if sent > declared:
            raise httpx.LocalProtocolError("Too much data for declared Content-Length")
        await connection.send(data, timeout)
    if declared is None:
        await connection.send(b"0\r\n\r\n", timeout)
    elif sent < declared:
        raise httpx.LocalProtocolError("Too little data for declared Content-Length")


async def _receive_head(
    connection: Connection, method: bytes, timeout: float | None
) -> ResponseHead:
    """The final response head (1xx ones skipped, as httpcore does, except 101)."""
    received = False
    while True:
        end = head_end(connection.buffer)
        if end < 0:
            if connection.closed:
                error = _lost(connection) or httpx.RemoteProtocolError(
                    "Server disconnected without sending a response."
                )
                raise _Dead(error) if not (received or connection.buffer) else error
            await connection.receive(timeout)
            continue
        received = True
        block = connection.buffer[:end]
        del connection.buffer[:end]
        head = parse_head(block, method)
        if head.status >= 200 or head.status == 101:
            return head


def _lost(connection: Connection) -> httpx.ReadError | None:
    """httpcore's error for a connection that failed (not closed cleanly): its text is empty."""
    if connection.error is None:
        return None
    error = httpx.ReadError("")
    error.__cause__ = connection.error
    return error


class _ResponseStream(httpx.AsyncByteStream):
    """A response body read from its connection; the connection goes back to the pool after
    the last byte, and is closed if the body is abandoned or broken."""

    def __init__(
        self,
        pool: PlainTransport,
        origin: Origin,
        connection: Connection,
        head: ResponseHead,
        keep: bool,
        timeout: float | None,
    ) -> None:
        self._pool = pool
        self._origin = origin
        self._connection: Connection | None = connection
        self.head = head
        self._keep = keep
        self._timeout = timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            raise httpx.StreamClosed()
        head = self.head
        try:
            if head.chunked:
                async for data in _chunked(connection, self._timeout):
                    yield data
            elif head.content_length is not None:
                async for data in _sized(connection, head.content_length, self._timeout):
                    yield data
            else:
                async for data in _until_close(connection, self._timeout):
                    yield data
        except BaseException:
            await self.aclose()
            raise
        self._connection = None
        self._pool.release(self._origin, connection, self._keep)

    async def aclose(self) -> None:
        if self._connection is not None:
            self._pool.discard(self._connection)
            self._connection = None


async def _more(connection: Connection, timeout: float | None, eof_message: str) -> None:
    """Wait for more of the body; the connection's end before it is complete is an error."""
    if connection.closed:
        raise _lost(connection) or httpx.RemoteProtocolError(eof_message)
    await connection.receive(timeout)


async def _sized(
    connection: Connection, length: int, timeout: float | None
) -> AsyncIterator[bytes]:
    remaining = length
    while remaining:
        if connection.buffer:
            data = connection.take(remaining)
            remaining -= len(data)
            yield data
            continue
        received = length - remaining
        message = (
            "peer closed connection without sending complete message body "
            f"(received {received} bytes, expected {length})"
        )
        await _more(connection, timeout, message)


CRLF = b"\r\n"
INCOMPLETE_CHUNKED = (
    "peer closed connection without sending complete message body (incomplete chunked read)"
)


async def _chunked(connection: Connection, timeout: float | None) -> AsyncIterator[bytes]:
    buffer = connection.buffer
    while True:
        line = await _line(connection, timeout)
        size = chunk_size(line)
        if size == 0:
            break
        while size:
            if not buffer:
                await _more(connection, timeout, INCOMPLETE_CHUNKED)
                continue
            data = connection.take(size)
            size -= len(data)
            yield data
        while len(buffer) < 2:
            await _more(connection, timeout, INCOMPLETE_CHUNKED)
        if buffer[:2] != b"\r\n":
            footer = bytearray(buffer[:2])
            raise httpx.RemoteProtocolError(
                f"malformed chunk footer: {footer!r} (expected {CRLF!r})"
            )
        del buffer[:2]
    await _trailer(connection, timeout)


async def _line(connection: Connection, timeout: float | None) -> bytearray:
    """The next CRLF-terminated line of a chunked body, CRLF included."""
    buffer = connection.buffer
    while (end := buffer.find(b"\r\n")) < 0:
        if len(buffer) > MAX_HEAD_BYTES:
            raise httpx.RemoteProtocolError("Receive buffer too long")
        await _more(connection, timeout, INCOMPLETE_CHUNKED)
    line = buffer[: end + 2]
    del buffer[: end + 2]
    return line


async def _trailer(connection: Connection, timeout: float | None) -> None:
    """Read past the trailer fields after the last chunk (httpcore drops them too)."""
    while (end := block_end(connection.buffer)) < 0:
        await _more(connection, timeout, INCOMPLETE_CHUNKED)
    block = connection.buffer[:end]
    del connection.buffer[:end]
    parse_fields(block)  # refused as h11 refuses them


async def _until_close(connection: Connection, timeout: float | None) -> AsyncIterator[bytes]:
    """An HTTP/1.0-style body: everything until the server closes the connection."""
    while True:
        if connection.buffer:
            yield connection.take(len(connection.buffer))
        elif connection.closed:
            lost = _lost(connection)
            if lost is not None:
                raise lost
            return
        else:
            await connection.receive(timeout)
