"""A raw HTTP/1.1 server on 127.0.0.1 that answers with scripted bytes, for transport edge cases.

It reads each request whole (head, then a Content-Length or chunked body), records its bytes
and the client's port, and answers with the next scripted Reply exactly as written: a chunked
body, a reply without a body, a server that hangs up on a kept-alive connection, garbage.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """What the server does with one request: wait ``delay`` s, write ``data``, maybe hang up
    (``reset``: with a TCP reset, as a crashing server does)."""

    data: bytes = b""
    close: bool = False
    delay: float = 0.0
    reset: bool = False


def ok(body: bytes = b"ok", *headers: str) -> Reply:
    """A 200 with a Content-Length body and the given extra header lines."""
    head = "".join(f"{line}\r\n" for line in headers)
    return Reply(
        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), head.encode(), body)
    )


@dataclass
class ScriptedServer:
    replies: list[Reply]
    requests: list[bytes] = field(default_factory=list)  # every request's bytes, in order
    ports: list[int] = field(default_factory=list)  # the client port each one came from
    url: str = ""
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def connections(self) -> int:
        return len(set(self.ports))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("peername")[1]
        self._tasks.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            while self.replies:
                request = await _read_request(reader)
                if request is None:
                    break
                self.requests.append(request)
                self.ports.append(port)
                reply = self.replies.pop(0)
                await asyncio.sleep(reply.delay)
                writer.write(reply.data)
                await writer.drain()
                if reply.reset:
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                if reply.close or reply.reset:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:  # the block ended; asyncio logs a task that ends cancelled
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


@contextlib.asynccontextmanager
async def scripted(*replies: Reply, host: str = "127.0.0.1") -> AsyncIterator[ScriptedServer]:
    """Serve ``replies`` (one per request, across connections) until the block ends."""
    server = ScriptedServer(list(replies))
    listener = await asyncio.start_server(server._serve, host, 0)
    authority = f"[{host}]" if ":" in host else host
    server.url = f"http://{authority}:{listener.sockets[0].getsockname()[1]}"
    try:
        yield server
    finally:
        listener.close()
        for task in server._tasks:  # connections the client keeps alive, replies still waiting
            task.cancel()
        await asyncio.gather(*server._tasks, return_exceptions=True)
        await listener.wait_closed()


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    """One request's bytes; None when the client closed the connection between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").lower().split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    if fields.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            size_line = await reader.readuntil(b"\r\n")
            chunk = await reader.readexactly(int(size_line, 16) + 2)
            body += size_line + chunk
            if size_line == b"0\r\n":
                return head + body
    return head + await reader.readexactly(int(fields.get("content-length", "0")))
