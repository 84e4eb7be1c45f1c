"""websockets exceptions -> wirecall's error tree (the library never leaks past the plugin)."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator

from wirecall.core.errors import (
    ConnectError,
    ProtocolError,
    RemoteProtocolError,
    RequestTimeout,
    TLSError,
)

PROTOCOL = "websocket"


@contextlib.contextmanager
def map_errors(url: str) -> Iterator[None]:
    """Translate what opening a connection to ``url`` can raise; chain the original."""
    from websockets.exceptions import InvalidHandshake, InvalidStatus, InvalidURI

    try:
        yield
    except InvalidStatus as exc:
        response = exc.response
        body = response.body.decode("utf-8", "replace").strip() if response.body else ""
        text = f"HTTP {response.status_code} {response.reason_phrase}"
        raise ProtocolError(
            f"{url}: handshake rejected: {text}" + (f": {body}" if body else ""),
            protocol=PROTOCOL,
            status=response.status_code,
        ) from exc
    except InvalidURI as exc:
        raise ConnectError(f"{url}: invalid WebSocket URL: {exc}", protocol=PROTOCOL) from exc
    except InvalidHandshake as exc:
        raise RemoteProtocolError(f"{url}: handshake failed: {exc}", protocol=PROTOCOL) from exc
    except TimeoutError as exc:
        raise RequestTimeout(f"{url}: timed out opening the connection", protocol=PROTOCOL) from exc
    except ssl.SSLError as exc:
        raise TLSError(f"{url}: TLS failed: {exc}", protocol=PROTOCOL) from exc
    except OSError as exc:
        raise ConnectError(
            f"{url}: cannot connect: {exc.strerror or exc}", protocol=PROTOCOL
        ) from exc
