"""HTTP through any Endpoint: an httpx transport whose connections come from ``open_connection()``.

httpx reaches Unix sockets by itself (``uds=``) but nothing else: a Windows named pipe, or
an endpoint from a third-party plugin, only hands out asyncio streams. This transport runs
httpcore's connection pool (keep-alive, HTTP/1.1 and HTTP/2, TLS through ``start_tls``) on
those streams, so every endpoint kind gets the same HTTP client. The endpoint decides where
bytes go; the request URL's host and port only fill the Host header and the TLS name.

Errors: the endpoint's own ConnectError (which names the socket or pipe) passes through as
raised; timeouts and I/O failures become httpx's exceptions, as from httpx's own transports.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import httpcore
import httpx
from wirecall.core.protocol import Endpoint

# httpx's own client defaults (a bare httpx.Limits() caps nothing)
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)

# httpcore's exceptions and the httpx ones its callers expect (httpx's transports do the same).
_HTTPX_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.ProxyError: httpx.ProxyError,
}

# What httpcore asks of a network stream -> the asyncio transport's name for it.
_EXTRA_INFO = {
    "ssl_object": "ssl_object",
    "client_addr": "sockname",
    "server_addr": "peername",
    "socket": "socket",
}


class EndpointTransport(httpx.AsyncBaseTransport):
    """An httpx transport that sends every request through ``endpoint``, keeping connections alive."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        ssl_context: ssl.SSLContext | None = None,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        self.endpoint = endpoint
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            http1=http1,
            http2=http2,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=EndpointBackend(endpoint),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        outgoing = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]  # httpx's async byte stream
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = await self._pool.handle_async_request(outgoing)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseBody(response),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class EndpointBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend: every connection, whatever the host, is ``open_connection()``."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._connect(timeout)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return await self._connect(timeout)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def _connect(self, timeout: float | None) -> httpcore.AsyncNetworkStream:
        with _io_errors(httpcore.ConnectTimeout, httpcore.ConnectError):
            async with asyncio.timeout(timeout):
                reader, writer = await self.endpoint.open_connection()
        return StreamsNetworkStream(reader, writer)


class StreamsNetworkStream(httpcore.AsyncNetworkStream):
    """An asyncio (StreamReader, StreamWriter) pair as the byte stream httpcore speaks HTTP over."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _io_errors(httpcore.ReadTimeout, httpcore.ReadError):
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        with _io_errors(httpcore.WriteTimeout, httpcore.WriteError):
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()

    async def aclose(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """TLS over the endpoint's stream (``https://unix:...``); the pair is upgraded in place."""
        try:
            with _io_errors(httpcore.ConnectTimeout, httpcore.ConnectError):
                async with asyncio.timeout(timeout):
                    await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except BaseException:
            # asyncio has closed the transport; waiting for the close would never end.
            self._writer.close()
            raise
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # asked of idle kept-alive connections: did the server hang up?
            return (
                self._reader.at_eof()
                or self._reader.exception() is not None
                or self._writer.is_closing()
            )
        name = _EXTRA_INFO.get(info)
        return None if name is None else self._writer.get_extra_info(name)


class _ResponseBody(httpx.AsyncByteStream):
    """The response body as httpx reads it, with httpcore's errors translated."""

    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for chunk in self._response.aiter_stream():
                yield chunk

    async def aclose(self) -> None:
        with _as_httpx_errors():
            await self._response.aclose()


@contextlib.contextmanager
def _io_errors(timeout: type[Exception], failure: type[Exception]) -> Iterator[None]:
    """Timeouts and OS errors of the streams as the httpcore exceptions its pool expects."""
    try:
        yield
    except TimeoutError as exc:  # before OSError: TimeoutError is one
        raise timeout(str(exc) or "timed out") from exc
    except OSError as exc:
        raise failure(str(exc) or type(exc).__name__) from exc


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        mapped = _HTTPX_ERRORS.get(type(exc))
        if mapped is None:  # the endpoint's own errors, and anything unexpected, as raised
            raise
        raise mapped(str(exc)) from exc
