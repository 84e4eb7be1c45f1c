"""paho-mqtt and socket exceptions -> wirecall's error tree (the library never leaks out)."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator

from wirecall.core.errors import (
    ConnectError,
    InputError,
    RemoteProtocolError,
    RequestTimeout,
    StatusError,
    TLSError,
)

PROTOCOL = "mqtt"


def refused(address: str, code: int, reason: str) -> StatusError:
    """A CONNACK that refused the connection, named as the broker named it."""
    return StatusError(
        f"{address}: connection refused by the broker: {reason} ({code})",
        protocol=PROTOCOL,
        status=code,
    )


@contextlib.contextmanager
def map_errors(address: str) -> Iterator[None]:
    """Translate what connecting to and talking with ``address`` can raise; chain the original."""
    from paho.mqtt.client import WebsocketConnectionError

    try:
        yield
    except WebsocketConnectionError as exc:
        raise RemoteProtocolError(f"{address}: WebSocket handshake failed: {exc}", protocol=PROTOCOL) from exc
    except TimeoutError as exc:
        raise RequestTimeout(f"{address}: timed out waiting for the broker", protocol=PROTOCOL) from exc
    except ssl.SSLError as exc:  # before OSError (its base) and ValueError (certificate errors)
        verify = getattr(exc, "verify_message", None)
        detail = f"certificate verify failed: {verify}" if verify else exc.reason or str(exc)
        raise TLSError(f"{address}: TLS failed: {detail}", protocol=PROTOCOL) from exc
    except ConnectionRefusedError as exc:
        raise ConnectError(f"{address}: connection refused (is the broker running?)", protocol=PROTOCOL) from exc
    except OSError as exc:
        raise ConnectError(f"{address}: cannot connect: {exc.strerror or exc}", protocol=PROTOCOL) from exc
    except ValueError as exc:  # paho's own checks (payload too large, bad port) after ours
        raise InputError(f"{address}: {exc}") from exc
