"""A TLS server that requires a client certificate: ``python -m mtls_server CERT KEY CLIENT_CA``.

Prints ``READY https://127.0.0.1:PORT``. Any HTTP request gets ``{"client": "<CN>"}``: the
common name of the certificate the client presented, so a test sees which one was sent.
A client without a certificate signed by CLIENT_CA fails the handshake.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import ssl
import sys


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
        await reader.readuntil(b"\r\n\r\n")
        subject = writer.get_extra_info("peercert")["subject"]
        name = next(value for rdn in subject for key, value in rdn if key == "commonName")
        body = json.dumps({"client": name}).encode()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        writer.write(head.encode() + body)
        await writer.drain()
    writer.close()
    with contextlib.suppress(ConnectionError, ssl.SSLError):
        await writer.wait_closed()


async def main(cert: str, key: str, client_ca: str) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.load_verify_locations(client_ca)
    context.verify_mode = ssl.CERT_REQUIRED
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, ctx: None)  # refused handshakes are expected
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    print(f"READY https://127.0.0.1:{port}", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
