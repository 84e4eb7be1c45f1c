"""A connected paho client's network I/O, run by the asyncio loop (paho's external-loop API).

Why not paho's own thread (``loop_start``): every PUBLISH handed to that thread woke it
through a socket pair, and every callback came back through ``call_soon_threadsafe``; the two
threads then took turns on the GIL, about 0.1 ms per message, most of a message's cost.
Here paho's ``loop_read``, ``loop_write`` and ``loop_misc`` run as loop callbacks, so its
callbacks run on the loop's thread and publishing is a function call.

Writing: once connected, paho queues its packets and tells the driver
(``on_socket_register_write``); callers ``flush()`` after handing paho a packet, and the
driver writes what is queued at the next turn of the loop, so a run of messages published
together goes out together. ``publish()`` writes a plain QoS 0 PUBLISH without paho (when
paho holds nothing unwritten); the driver's own bytes always go out before paho's queue,
which keeps the order packets were handed over in. What the socket does not take yet is
written when it is writable again.

What paho's thread did and this keeps: bytes already decrypted (TLS) or unwrapped (paho's
WebSocket wrapper reports them through ``pending()``) are read before the loop waits on the
socket again, since the socket itself may never become readable for them; keep-alive pings
and their timeout come from ``loop_misc`` once a second.

Reading: the driver reads the socket itself, in bulk (one ``recv`` for many packets instead of
paho's three per packet), and splits the bytes into packets. A plain QoS 0 PUBLISH goes
straight to ``deliver`` (``packets.decode_publish``); every other packet is handed to paho's
``loop_read`` through its ``_sock_recv``, which the driver replaces on this client by one
serving that packet's bytes, so paho parses, acknowledges and calls back exactly as before.
The end of the connection (EOF, an error) reaches paho the same way, as its next read.

paho internals this relies on (paho-mqtt 2.x; the dependency is pinned below 3): reads go
through ``Client._sock_recv``, message ids come from ``Client._mid_generate``, and the
keep-alive clocks are ``Client._last_bytes_received`` and ``_last_msg_out``, which the driver
sets for the bytes it reads and writes itself. tests/plugins/mqtt/test_reading.py and
test_publishing.py fail if any of them changes.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from typing import Any

from paho.mqtt import client as paho
from wirecall.plugins.mqtt.packets import Incoming, decode_publish, encode_publish, packet_span

MISC_INTERVAL_S = 1.0  # paho's own thread calls loop_misc at least this often
READ_SIZE = 65536  # bytes asked of the socket per read
READ_ROUNDS = 4  # reads per wake-up at most, so other tasks get their turn
NOT_NOW = (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError)


class LoopDriver:
    """Watches a connected client's socket from ``start()`` until paho closes it."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        client: paho.Client,
        deliver: Callable[[Incoming, float], None] | None = None,
        *,
        v5: bool,
        raw_writes: bool = False,
    ) -> None:
        """``deliver`` gets plain QoS 0 PUBLISHes without paho (None: paho gets all, for its
        log lines); ``v5`` is the connection's protocol (a v5 PUBLISH has properties);
        ``raw_writes`` lets ``publish()`` write to the socket itself (plain TCP or Unix
        sockets: TLS and paho's WebSocket wrapper want a write retried with the same bytes)."""
        self._loop = loop
        self._client = client
        self._deliver = deliver
        self._v5 = v5
        self._raw_writes = raw_writes
        self._out = bytearray()  # PUBLISHes written by the driver, not on the socket yet
        self._write_soon: asyncio.Handle | None = None
        self._sock: Any = None
        self._buffer = bytearray()  # read from the socket, not yet split into packets
        self._packet = memoryview(b"")  # what paho's next reads get: one packet's bytes
        self._end: BaseException | None = None  # why the socket has no more (EOFError at its end)
        self._ending = False  # paho is reading the end now
        self._writing = False  # a writer callback is registered for what is left to write
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
        client._sock_recv = self._paho_recv  # type: ignore[method-assign]
        client.on_socket_register_write = lambda c, u, s: self.flush()
        self._loop.add_reader(self._sock, self._readable)
        self._misc = self._loop.call_later(MISC_INTERVAL_S, self._tick)
        self.flush()

    def publish(self, topic: str, payload: bytes, retain: bool) -> int | None:
        """Write a QoS 0 PUBLISH without properties; its message id (paho's numbering), or
        None when paho has to send it (raw writes off, not connected, packets queued in paho,
        a topic or payload paho refuses)."""
        client = self._client
        if not self._raw_writes or self._sock is None or client.want_write():
            return None
        packet = encode_publish(topic.encode(), payload, retain, self._v5)
        if packet is None:
            return None
        self._out += packet
        self.flush()
        return client._mid_generate()

    def flush(self) -> None:
        """Have what the driver and paho hold written at the loop's next turn (or once the
        socket takes more)."""
        if self._sock is not None and not self._writing and self._write_soon is None:
            self._write_soon = self._loop.call_soon(self._write)

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
        for _ in range(READ_ROUNDS):
            more = self._fill()
            self._dispatch()
            if not more or self._sock is None:
                break
        if self._end is not None and self._sock is not None:
            self._hand_over_end()
        self.flush()  # acknowledgements queued while reading

    def _fill(self) -> bool:
        """One read into the buffer; True when the socket may hold more right now."""
        try:
            data = self._sock.recv(READ_SIZE)
        except NOT_NOW:
            return False
        except OSError as exc:
            self._end = exc
            return False
        if not data:
            self._end = EOFError()
            return False
        self._buffer += data
        self._client._last_bytes_received = time.monotonic()  # paho's keep-alive clock
        return len(data) == READ_SIZE or bool(_pending(self._sock))

    def _dispatch(self) -> None:
        """Each complete packet in the buffer to ``deliver`` or to paho, in order."""
        buffer, client, deliver, v5 = self._buffer, self._client, self._deliver, self._v5
        start, now = 0, time.time()
        while (span := packet_span(buffer, start)) is not None:
            body, end = span
            incoming = decode_publish(buffer, start, body, end, v5) if deliver else None
            if incoming is not None:
                deliver(incoming, now)  # type: ignore[misc]
            else:
                self._packet = memoryview(bytes(buffer[start:end]))
                client.loop_read()
                self._packet = memoryview(b"")
            start = end
            if self._sock is None:
                break
        del buffer[:start]

    def _hand_over_end(self) -> None:
        """paho reads what is left of a packet, then the end: connection lost, on_disconnect."""
        self._packet = memoryview(bytes(self._buffer))
        self._buffer.clear()
        self._ending = True
        self._client.loop_read()

    def _paho_recv(self, size: int) -> bytes:
        """paho's ``_sock_recv``: the bytes handed to it, then "nothing yet" (or the end)."""
        packet = self._packet
        if packet:
            self._packet = packet[size:]
            return bytes(packet[:size])
        if not self._ending or self._end is None:
            raise BlockingIOError
        if isinstance(self._end, EOFError):
            return b""
        raise self._end

    def _write(self) -> None:
        """The driver's bytes, then paho's queue; a writer callback while some are left."""
        self._write_soon = None
        sock, client, out = self._sock, self._client, self._out
        if sock is None:
            return
        if out:
            try:
                del out[: sock.send(out)]
            except NOT_NOW:
                pass
            except OSError:
                out.clear()  # the connection is gone: the reader hands its end to paho
            client._last_msg_out = time.monotonic()  # paho's keep-alive clock
        if not out and client.want_write():
            client.loop_write()
        if self._sock is None:
            return
        left = bool(out) or client.want_write()
        if left != self._writing:
            self._writing = left
            if left:
                self._loop.add_writer(sock, self._write)
            else:
                self._loop.remove_writer(sock)

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
        if self._write_soon is not None:
            self._write_soon.cancel()
            self._write_soon = None
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
