"""A run of outgoing frames leaves the socket together instead of one segment per frame.

Each frame written on its own is a TCP segment and, on loopback, a wake-up of the peer: on a
busy machine those send syscalls are a large part of what a message costs. ``Burst.hold()``
before each write corks the socket (Linux ``TCP_CORK``) until the loop's next turn, that is
until the sending task waits for anything (its next message, a delay, the loop's share every
few messages, a full buffer); the kernel then sends what was held in as few segments as it
can. The frames and their order are unchanged. Elsewhere, and on Unix sockets, it does nothing.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any


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
