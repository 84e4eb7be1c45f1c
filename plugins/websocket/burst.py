"""A run of outgoing frames leaves the socket together instead of one segment per frame.

Each frame written on its own is a TCP segment and, on loopback, a wake-up of the peer: on a
busy machine those send syscalls are a large part of what a message costs. ``Burst.hold()``
before each write corks the socket (Linux ``TCP_CORK``) until the loop's next turn, that is
until the sending task waits for anything (its next message, a delay, the loop's share every
few messages, a full buffer); the kernel then sends what was held in as few segments as it
can. The frames and their order are unchanged. Elsewhere, and on Unix sockets, it does nothing.

``write_frames`` puts a run of frames on the connection in one transport write instead of one
``send()`` each (whose context, checks and write cost more than framing the message), through
the connection's own sans-I/O protocol and send context: the same framing, compression,
closed-connection errors and flow control (it waits while the write buffer is full).
``chunks`` keeps each such write near the buffer's limit, as ``send()`` one by one would.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

CHUNK_BYTES = 2**15  # websockets' default write_limit: a write buffer this full waits to drain


class Burst:
    def __init__(self, sock: Any) -> None:
        """``sock``: the connection's socket (asyncio's TransportSocket too), or None."""
        tcp = getattr(sock, "family", None) in (socket.AF_INET, socket.AF_INET6)
        self._sock = sock if tcp and hasattr(socket, "TCP_CORK") else None
        self._held = False

    def hold(self) -> None:
        """Cork the socket (if not already) until the loop's next turn."""
        if self._held or self._sock is None:
            return
        if self._cork(1):
            self._held = True
            asyncio.get_running_loop().call_soon(self._release)

    def _release(self) -> None:
        self._held = False
        self._cork(0)

    def _cork(self, on: int) -> bool:
        assert self._sock is not None
        try:
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, on)
        except OSError:  # closed meanwhile: nothing left to hold back
            return False
        return True


def chunks(frames: list[str | bytes]) -> Iterator[list[str | bytes]]:
    """``frames`` in runs of about ``CHUNK_BYTES`` of payload (at least one frame each)."""
    start, size = 0, 0
    for end, frame in enumerate(frames, 1):
        size += len(frame)
        if size >= CHUNK_BYTES:
            yield frames[start:end]
            start, size = end, 0
    if start < len(frames):
        yield frames[start:]


async def write_frames(ws: ClientConnection, frames: list[str | bytes]) -> None:
    """Send each frame (text for ``str``, binary for ``bytes``) as ``ws.send`` would, all in
    one write; raises ``ConnectionClosed`` as ``send`` does, before any frame is framed."""
    protocol = ws.protocol
    async with ws.send_context():  # checks the connection is open; drains on the way out
        for frame in frames:
            if isinstance(frame, str):
                protocol.send_text(frame.encode())
            else:
                protocol.send_binary(frame)
        # data frames never carry the end-of-stream marker (an empty chunk): only closing does
        ws.transport.write(b"".join(protocol.data_to_send()))
