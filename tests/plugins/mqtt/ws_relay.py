"""MQTT over WebSocket for the tests: a loopback relay in front of mosquitto's TCP listener.

Debian's mosquitto has no websockets listener (and its libwebsockets one binds every
interface), so ``python -m tests.plugins.mqtt.ws_relay HOST:PORT`` accepts WebSocket
connections (subprotocol ``mqtt``) on 127.0.0.1 only and pipes binary frames to and from the
broker: the MQTT peer on the other side is still the real mosquitto.
Prints ``READY ws://127.0.0.1:PORT/mqtt``.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed


async def relay(ws: ServerConnection, host: str, port: int) -> None:
    reader, writer = await asyncio.open_connection(host, port)

    async def up() -> None:
        with contextlib.suppress(ConnectionClosed):
            async for frame in ws:
                writer.write(frame if isinstance(frame, bytes) else frame.encode())
                await writer.drain()
        writer.close()

    async def down() -> None:
        while data := await reader.read(65536):
            await ws.send(data)
        await ws.close()

    with contextlib.suppress(ConnectionClosed, ConnectionError):
        await asyncio.gather(up(), down())
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


async def main(target: str) -> None:
    host, _, port = target.rpartition(":")
    async with serve(lambda ws: relay(ws, host, int(port)), "127.0.0.1", 0, subprotocols=["mqtt"]) as server:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, server.close)
        address = next(s.getsockname() for s in server.sockets)
        print(f"READY ws://127.0.0.1:{address[1]}/mqtt", flush=True)
        await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
