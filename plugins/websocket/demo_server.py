"""A websockets demo/test server: ``python -m wirecall.plugins.websocket.demo_server [--uds PATH]``.

Paths:
  /echo (any other path too)  echo every text and binary message
  /headers                    first send the handshake request headers as JSON, then echo
  /ticker?n=5&ms=10           send ``tick 1`` .. ``tick N`` every ``ms`` milliseconds, then echo
  /close/<code>?reason=bye    send ``closing``, then close with that code and reason
  /reject                     refuse the handshake: HTTP 401 ``no token``
  /auth                       refuse with 401 unless ``Authorization: Bearer secret``
Subprotocols chat.v2, chat.v1 and json are accepted in the client's order of preference.
Prints ``READY ws://127.0.0.1:PORT`` (or ``READY unix:PATH``) once it accepts connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve, unix_serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

SUBPROTOCOLS = ("chat.v2", "chat.v1", "json")


def select_subprotocol(connection: ServerConnection, offered: list[str]) -> str | None:
    """The first offered subprotocol the server knows: client order, and none is fine."""
    return next((p for p in offered if p in SUBPROTOCOLS), None)


def check_request(connection: ServerConnection, request: Request) -> Response | None:
    path = urlsplit(request.path).path
    if path == "/reject":
        return connection.respond(HTTPStatus.UNAUTHORIZED, "no token\n")
    if path == "/auth" and request.headers.get("Authorization") != "Bearer secret":
        return connection.respond(HTTPStatus.UNAUTHORIZED, "bad or missing bearer token\n")
    return None


async def handle(ws: ServerConnection) -> None:
    parts = urlsplit(ws.request.path)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        if parts.path == "/headers":
            await ws.send(json.dumps(dict(ws.request.headers.raw_items())))
        elif parts.path == "/ticker":
            for n in range(1, int(query.get("n", 5)) + 1):
                await ws.send(f"tick {n}")
                await asyncio.sleep(int(query.get("ms", 10)) / 1000)
        elif parts.path.startswith("/close/"):
            await ws.send("closing")
            await ws.close(int(parts.path.rsplit("/", 1)[1]), query.get("reason", "bye"))
            return
        async for message in ws:
            await ws.send(message)
    except ConnectionClosed:
        pass


async def main(uds: str | None) -> None:
    options = {"process_request": check_request, "select_subprotocol": select_subprotocol}
    server: Server
    if uds:
        server = await unix_serve(handle, uds, **options)
        address = f"unix:{uds}"
    else:
        server = await serve(handle, "127.0.0.1", 0, **options)
        address = f"ws://127.0.0.1:{next(iter(server.sockets)).getsockname()[1]}"
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, server.close)
    print(f"READY {address}", flush=True)
    await server.wait_closed()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uds", help="listen on this Unix socket instead of 127.0.0.1")
    asyncio.run(main(parser.parse_args().uds))
