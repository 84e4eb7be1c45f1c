"""A minimal HTTP/1.1 echo server for the benchmark: ``python -m tests.bench.echo_server``.

The anchors' rule is that the echo server must not be the bottleneck (about 20 µs per echo
there). The HTTP plugin's demo server (starlette on uvicorn/h11) spends about a millisecond
per echo, as much as a whole wirecall request should, so the benchmark uses this stdlib
asyncio ``Protocol`` instead: keep-alive, pipelining, ``Content-Length`` bodies only, and the
demo server's echo shape for what the collections read (``args``, ``json``, ``headers``).
``python -m tests.bench --server demo`` uses the demo server instead.

Prints ``READY http://127.0.0.1:PORT`` once it accepts connections.
"""

from __future__ import annotations

import asyncio
import json
import signal
from urllib.parse import parse_qsl, urlsplit


def echo(method: str, target: str, headers: dict[str, str], body: bytes) -> bytes:
    url = urlsplit(target)
    parsed = None
    if "json" in headers.get("content-type", ""):
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
    return json.dumps({
        "method": method, "path": url.path, "args": dict(parse_qsl(url.query)),
        "headers": headers, "data": body.decode("utf-8", "replace"), "json": parsed,
    }).encode()  # fmt: skip


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            lines = self.buffer[:head_end].decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            end = head_end + 4 + int(headers.get("content-length", 0))
            if len(self.buffer) < end:
                return
            body, self.buffer = self.buffer[head_end + 4 : end], self.buffer[end:]
            payload = echo(method, target, headers, body)
            self.transport.write(  # type: ignore[attr-defined]
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload)
            )


async def serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(EchoProtocol, "127.0.0.1", 0)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"READY http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve())
