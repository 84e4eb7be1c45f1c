"""A connected paho client's network I/O, run by the asyncio loop (paho's external-loop API).

Why not paho's own thread (``loop_start``): every PUBLISH handed to that thread woke it
through a socket pair, and every callback came back through ``call_soon_threadsafe``; the two
threads then took turns on the GIL, about 0.1 ms per message, most of a message's cost.
Here paho's ``loop_read``, ``loop_write`` and ``loop_misc`` run as loop callbacks, so its
callbacks run on the loop's thread and publishing is a function call: with no thread and no
``on_socket_register_write`` callback, paho writes a packet as soon as it is queued. What it
could not write (a full socket buffer, a packet queued inside one of its callbacks) is
written when the socket is writable again: callers ``flush()`` after handing paho a packet.

What paho's thread did and this keeps: bytes already decrypted (TLS) or unwrapped (paho's
WebSocket wrapper reports them through ``pending()``) are read before the loop waits on the
socket again, since the socket itself may never become readable for them; keep-alive pings
and their timeout come from ``loop_misc`` once a second.

``loop_read`` reads one packet of a QoS 0 stream per call, so a readable socket is read
until it has nothing left (up to ``READ_BURST`` packets): one loop wake-up per burst of
messages instead of one per message.
"""

from __future__ import annotations

import asyncio
import select
from typing import Any

from paho.mqtt import client as paho

MISC_INTERVAL_S = 1.0  # paho's own thread calls loop_misc at least this often
READ_BURST = 256  # packets read per wake-up at most, so other tasks get their turn


class LoopDriver:
    """Watches a connected client's socket from ``start()`` until paho closes it."""

    def __init__(self, loop: asyncio.AbstractEventLoop, client: paho.Client) -> None:
        self._loop = loop
        self._client = client
        self._sock: Any = None
        self._poll = select.poll()
        self._writing = False  # a writer callback is registered for what paho still holds
        self._misc: asyncio.TimerHandle | None = None
        self.closed: asyncio.Future[None] = loop.create_future()

    def start(self) -> None:
        """Call on the loop's thread once ``connect()`` returned: from now on paho runs here."""
        client = self._client
        self._sock = client.socket()
        if self._sock is None:
            self.closed.set_result(None)
            return
        client.on_socket_close = self._socket_closed
        self._poll.register(self._sock, select.POLLIN)
        self._loop.add_reader(self._sock, self._readable)
        self._misc = self._loop.call_later(MISC_INTERVAL_S, self._tick)
        self.flush()

    def flush(self) -> None:
        """Have what paho could not write yet written once the socket takes it."""
        if self._sock is not None and not self._writing and self._client.want_write():
            self._writing = True
            self._loop.add_writer(self._sock, self._writable)

    async def wait_closed(self, timeout_s: float) -> None:
        """Until paho closed the socket (after DISCONNECT, or a lost connection); then let go."""
        if self._sock is None:  # never connected, or closed already
            return
        try:
            await asyncio.wait_for(asyncio.shield(self.closed), timeout_s)
        except TimeoutError:
            pass
        finally:
            self.close()

    def close(self) -> None:
        """Stop watching the socket and close it if paho has not (no DISCONNECT to wait for)."""
        self._release(close=True)

    def _readable(self) -> None:
        client = self._client
        for _ in range(READ_BURST):
            client.loop_read()
            sock = client.socket()
            if sock is None or not (_pending(sock) or self._poll.poll(0)):
                break
        self.flush()  # acknowledgements queued while reading

    def _writable(self) -> None:
        self._client.loop_write()
        if self._writing and self._sock is not None and not self._client.want_write():
            self._writing = False
            self._loop.remove_writer(self._sock)

    def _tick(self) -> None:
        self._misc = None
        if self._client.socket() is not None:
            self._client.loop_misc()
            self.flush()  # a PINGREQ
        if self._sock is not None:
            self._misc = self._loop.call_later(MISC_INTERVAL_S, self._tick)

    def _socket_closed(self, client: paho.Client, userdata: Any, sock: Any) -> None:
        self._release(close=False)  # paho closes it right after this callback

    def _release(self, *, close: bool) -> None:
        sock, self._sock = self._sock, None
        self._writing = False
        if self._misc is not None:
            self._misc.cancel()
            self._misc = None
        if sock is not None:
            self._loop.remove_reader(sock)
            self._loop.remove_writer(sock)
            if close:  # paho did not close it: no DISCONNECT sent, or no end to it in time
                sock.close()
        if not self.closed.done():
            self.closed.set_result(None)


def _pending(sock: Any) -> int:
    """Bytes buffered above the socket (TLS) that no readiness event will announce."""
    pending = getattr(sock, "pending", None)
    return pending() if pending is not None else 0
