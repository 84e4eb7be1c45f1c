"""A minimal HTTP proxy for tests: ``python -m tests.connect_proxy``.

Prints ``READY http://127.0.0.1:PORT``. Every connection goes to 127.0.0.1 on the port asked
for, whatever the host name: a test can use a name that does not resolve
(``api.example.invalid``), so a connection that succeeds must have gone through the proxy.
CONNECT opens a tunnel; a request in absolute form (``GET http://host:port/path``) is passed
on in origin form, with the rest of that connection piped as is.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from urllib.parse import urlsplit


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(OSError):
        writer.write_eof()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, ValueError):
        head = await reader.readuntil(b"\r\n\r\n")
        method, target, rest = head.split(b" ", 2)
        if method == b"CONNECT":
            port = int(target.rpartition(b":")[2])
            first, reply = b"", b"HTTP/1.1 200 Connection established\r\n\r\n"
        else:
            parts = urlsplit(target.decode("latin-1"))
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            port, first, reply = parts.port or 80, b" ".join([method, path.encode(), rest]), b""
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        up_writer.write(first)
        writer.write(reply)
        await writer.drain()
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        up_writer.close()
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


async def main() -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(f"READY http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
