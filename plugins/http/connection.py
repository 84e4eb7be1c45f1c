"""One HTTP/1.1 client connection as an asyncio Protocol, and how it is opened.

The protocol only buffers what arrives and wakes the one reader waiting for it; the transport
(plugins/http/transport.py) parses. Waiting costs one future and, with a timeout, one timer
handle: no task, no stream objects, no cancel scopes per read.

Connecting follows anyio's ``connect_tcp``, which httpcore uses for every other connection:
IPv6 first, a new attempt every 250 ms until one connects, and the same errors (``All
connection attempts failed`` caused by the attempts' own errors), so a failed connection
reads the same to the user whichever transport made it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx

HAPPY_EYEBALLS_DELAY = 0.25  # seconds before the next address is tried, as anyio
READ_HIGH_WATER = 1 << 20  # stop reading from the socket while this much is unread


class Connection(asyncio.Protocol):
    """A socket's received bytes in ``buffer``; ``closed`` once the server hung up or it failed."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.closed = False
        self.error: Exception | None = None  # why the connection was lost, if it failed
        self.transport: asyncio.Transport | None = None
        self.requests = 0  # requests sent on this connection, the current one included
        self.idle_since = 0.0  # loop time it was last released to the pool
        self._waiter: asyncio.Future[None] | None = None
        self._drained: asyncio.Future[None] | None = None
        self._reading_paused = False

    # asyncio's protocol callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        _wake(self._waiter)
        if len(self.buffer) > READ_HIGH_WATER and not self._reading_paused and self.transport:
            self._reading_paused = True
            self.transport.pause_reading()

    def eof_received(self) -> bool:
        self.closed = True
        _wake(self._waiter)
        return False  # asyncio closes the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = self.error or exc
        _wake(self._waiter)
        _wake(self._drained)

    def pause_writing(self) -> None:
        self._drained = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        _wake(self._drained)
        self._drained = None

    # used by the transport

    async def receive(self, timeout: float | None) -> None:
        """Wait until more bytes arrived or the connection closed; httpx.ReadTimeout after
        ``timeout`` seconds of silence (httpcore's read timeout is per read, too)."""
        if self.closed:
            return
        if self._reading_paused:
            self._resume_reading()
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = (
            None
            if timeout is None
            else loop.call_later(timeout, _expire, waiter, httpx.ReadTimeout)
        )
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def take(self, size: int) -> bytes:
        """Up to ``size`` bytes from the front of the buffer."""
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        if self._reading_paused and len(self.buffer) <= READ_HIGH_WATER:
            self._resume_reading()
        return data

    async def send(self, data: bytes, timeout: float | None) -> None:
        """Write ``data``; wait (at most ``timeout``: httpx.WriteTimeout) while the socket's
        buffer is full. A connection that is gone takes nothing: as httpcore, the caller
        finds out when it reads the response (a server may answer and hang up early)."""
        transport = self.transport
        if transport is None or self.closed or transport.is_closing():
            return
        transport.write(data)
        drained = self._drained
        if drained is None:
            return
        timer = None
        if timeout is not None:
            timer = asyncio.get_running_loop().call_later(
                timeout, _expire, drained, httpx.WriteTimeout
            )
        try:
            await drained
        finally:
            if timer is not None:
                timer.cancel()

    def _resume_reading(self) -> None:
        self._reading_paused = False
        if self.transport is not None:
            self.transport.resume_reading()

    def reusable(self) -> bool:
        """Idle and still open: nothing arrived since the last response, no hang-up."""
        return not (
            self.closed or self.buffer or self.transport is None or self.transport.is_closing()
        )

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


def _wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


def _expire(waiter: asyncio.Future[None], error: type[httpx.TimeoutException]) -> None:
    if not waiter.done():
        waiter.set_exception(error("timed out"))


async def open_connection(host: str, port: int, timeout: float | None) -> Connection:
    """A connected Connection to ``host``; httpx.ConnectError or ConnectTimeout otherwise."""
    try:
        async with asyncio.timeout(timeout):
            return await _connect(host, port)
    except TimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc) or "timed out") from exc
    except OSError as exc:
        raise httpx.ConnectError(str(exc)) from exc


async def _connect(host: str, port: int) -> Connection:
    """anyio's happy eyeballs: start the next address when one fails or after the delay."""
    addresses = await _addresses(host, port)
    loop = asyncio.get_running_loop()
    errors: list[OSError] = []
    attempts: set[asyncio.Task[tuple[asyncio.BaseTransport, Connection]]] = set()
    try:
        for family, address in addresses:
            attempts.add(loop.create_task(_attempt(family, address, port)))
            done = await _first_done(attempts, HAPPY_EYEBALLS_DELAY, errors)
            if done is not None:
                return done
        while attempts:
            done = await _first_done(attempts, None, errors)
            if done is not None:
                return done
    finally:
        for task in attempts:
            task.cancel()
    cause: Exception = (
        errors[0]
        if len(errors) == 1
        else ExceptionGroup("multiple connection attempts failed", errors)
    )
    raise OSError("All connection attempts failed") from cause


async def _first_done(
    attempts: set[asyncio.Task[tuple[asyncio.BaseTransport, Connection]]],
    delay: float | None,
    errors: list[OSError],
) -> Connection | None:
    """Wait for attempts to end (at most ``delay``): the first connection, or None and their
    errors. A second connection made in the same instant is closed."""
    done, _ = await asyncio.wait(attempts, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
    winner = None
    for task in done:
        attempts.discard(task)
        error = task.exception()
        if error is None:
            connection = task.result()[1]
            if winner is None:
                winner = connection
            else:
                connection.close()
        elif isinstance(error, OSError):
            errors.append(error)
        else:
            raise error
    return winner


async def _attempt(
    family: int, address: str, port: int
) -> tuple[asyncio.BaseTransport, Connection]:
    loop = asyncio.get_running_loop()
    return await loop.create_connection(Connection, address, port, family=family)


async def _addresses(host: str, port: int) -> list[tuple[int, str]]:
    """The addresses to try, IPv6 first then IPv4 then the rest (anyio's order)."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [(socket.AF_INET6 if literal.version == 6 else socket.AF_INET, literal.compressed)]
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    ordered: list[tuple[int, str]] = []
    v6 = v4 = False
    for family, *_, sockaddr in found:
        if family == socket.AF_INET6 and not v6:
            v6 = True
            ordered.insert(0, (family, sockaddr[0]))
        elif family == socket.AF_INET and not v4 and v6:
            v4 = True
            ordered.insert(1, (family, sockaddr[0]))
        else:
            ordered.append((family, str(sockaddr[0])))
    return ordered
