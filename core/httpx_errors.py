"""Translate httpx exceptions into wirecall's error tree, for every plugin that speaks HTTP.

HTTP, GraphQL and SOAP all send through httpx; none lets an httpx exception escape.
httpx is a core dependency (the npm loader uses it too), imported only by those who call this.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Iterator

import httpx
from wirecall.core.errors import (
    ConnectError,
    ProtocolError,
    RemoteProtocolError,
    RequestTimeout,
    TLSError,
)


@contextlib.contextmanager
def map_httpx_errors(
    protocol: str = "http", timeout_ms: float | None = None, socket_path: str | None = None
) -> Iterator[None]:
    """Run an httpx call; re-raise its failure as the matching wirecall ProtocolError.

    ``socket_path`` names the Unix socket the request went through, for the messages.
    """
    try:
        yield
    except httpx.HTTPError as exc:
        raise _translate(exc, protocol, timeout_ms, socket_path) from exc
    except httpx.InvalidURL as exc:
        raise ProtocolError(f"invalid URL: {exc}", protocol=protocol) from exc


def _translate(
    exc: httpx.HTTPError, protocol: str, timeout_ms: float | None, socket_path: str | None
) -> ProtocolError:
    address = _address(exc, socket_path)
    within = f" within {timeout_ms:g} ms" if timeout_ms is not None else ""
    if isinstance(exc, httpx.ConnectTimeout):
        message = f"connect timeout: no connection to {address}{within}"
        return RequestTimeout(message, protocol=protocol)
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(f"timeout: no response from {address}{within}", protocol=protocol)
    if isinstance(exc, httpx.ConnectError):
        return _connect_error(exc, address, protocol)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.CloseError)):
        reason = str(exc) or type(exc).__name__
        return ConnectError(f"connection to {address} lost: {reason}", protocol=protocol)
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.DecodingError)):
        return RemoteProtocolError(f"bad response from {address}: {exc}", protocol=protocol)
    if isinstance(exc, httpx.TooManyRedirects):
        return ProtocolError(f"too many redirects: {exc}", protocol=protocol)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return ProtocolError(f"unsupported URL: {exc}", protocol=protocol)
    return ProtocolError(f"HTTP request to {address} failed: {exc}", protocol=protocol)


def _connect_error(exc: httpx.ConnectError, address: str, protocol: str) -> ProtocolError:
    """Name the reason a user can act on: TLS, refused, unknown host, or the raw text."""
    cause = _root_cause(exc)
    if isinstance(cause, ssl.SSLCertVerificationError):
        return TLSError(
            f"TLS certificate verification failed for {address}: {cause.verify_message}",
            protocol=protocol,
        )
    if isinstance(cause, ssl.SSLError):
        return TLSError(f"TLS handshake with {address} failed: {cause.reason}", protocol=protocol)
    if isinstance(cause, ConnectionRefusedError):
        return ConnectError(f"connection refused: {address}", protocol=protocol)
    if isinstance(cause, socket.gaierror):
        return ConnectError(f"cannot resolve host: {address}", protocol=protocol)
    if isinstance(cause, FileNotFoundError):
        return ConnectError(f"no such socket: {address}", protocol=protocol)
    return ConnectError(f"cannot connect to {address}: {exc}", protocol=protocol)


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost exception under httpx/httpcore wrappers."""
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        nxt = exc.__cause__ or exc.__context__
        if nxt is None:
            break
        exc = nxt
    return exc


def _address(exc: httpx.HTTPError, socket_path: str | None) -> str:
    if socket_path:
        return f"unix:{socket_path}"
    try:
        url = exc.request.url
    except RuntimeError:  # raised before a request was attached
        return "the server"
    port = url.port or {"http": 80, "https": 443}.get(url.scheme, "")
    return f"{url.host}:{port}"
