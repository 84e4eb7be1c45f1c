"""python-socketio / python-engineio exceptions -> wirecall's error tree."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from wirecall.core.errors import ConnectError, ProtocolError, RequestTimeout

PROTOCOL = "socketio"
OLD_SERVER_HINT = "the server may speak an older Socket.IO protocol; wirecall needs Socket.IO v5 (socket.io 3.x/4.x)"


def refusal_text(data: Any) -> str:
    """The reason a server gave in ``connect_error`` (``{"message": ...}`` or plain data)."""
    if isinstance(data, dict) and "message" in data:
        extra = data.get("data")
        return str(data["message"]) + (f" ({extra})" if extra is not None else "")
    return str(data)


@contextlib.contextmanager
def map_errors(url: str, namespace: str, refusal: list[Any], timeout_s: float) -> Iterator[None]:
    """Translate a failed connect; ``refusal`` holds what the server sent in ``connect_error``."""
    from socketio.exceptions import ConnectionError as SioConnectionError

    try:
        yield
    except SioConnectionError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        status = re.search(r"status code (\d+)", message)
        if status:
            reason = f": {refusal_text(refusal[0])}" if refusal and refusal[0] else ""
            raise ProtocolError(
                f"{url}: handshake rejected: HTTP {status.group(1)}{reason}",
                protocol=PROTOCOL,
                status=int(status.group(1)),
            ) from exc
        if message.startswith("One or more namespaces failed"):
            reason = refusal_text(refusal[0]) if refusal else "no reason given"
            raise ProtocolError(
                f"{url}: connection to namespace {namespace} refused: {reason}",
                protocol=PROTOCOL,
                status=refusal[0] if refusal else None,
            ) from exc
        if message.startswith(("Unexpected response", "OPEN packet not", "no OPEN packet")):
            error = ProtocolError(f"{url}: {message}", protocol=PROTOCOL)
            error.hint = OLD_SERVER_HINT
            raise error from exc
        if message.startswith("Unexpected connection error"):
            raise RequestTimeout(
                f"{url}: namespace {namespace} did not connect within {timeout_s:g} s",
                protocol=PROTOCOL,
            ) from exc
        raise ConnectError(f"{url}: cannot connect: {message}", protocol=PROTOCOL) from exc
    except TimeoutError as exc:
        raise RequestTimeout(f"{url}: timed out connecting", protocol=PROTOCOL) from exc
