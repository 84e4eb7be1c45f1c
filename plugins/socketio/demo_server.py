"""A python-socketio demo/test server under uvicorn: ``python -m wirecall.plugins.socketio.demo_server``.

Namespace ``/`` (anyone may connect):
  echo      emits ``echo`` back with the same arguments; the ack returns them too
  add       ack: (sum of the arguments, "ok")
  ticker    (n, ms): emits ``tick`` {"n": i} n times, every ms milliseconds
  join      (room): joins a room; shout (room, text) broadcasts ``news`` to that room
  headers   ack: the handshake headers and query string the server saw
  bye       the server disconnects the client
Namespace ``/chat``: needs auth {"token": "secret"} (refused with "bad token" otherwise) and
greets with ``welcome`` {"user": ...}; ``say`` broadcasts ``said`` to everyone in /chat.
Short Engine.IO ping settings keep polling disconnects fast. Prints ``READY http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import asyncio
import os
import socket
from typing import Any

import socketio
import uvicorn

sio = socketio.AsyncServer(
    async_mode="asgi",
    cors_allowed_origins="*",
    ping_interval=float(os.environ.get("SIO_PING_INTERVAL", "1")),
    ping_timeout=float(os.environ.get("SIO_PING_TIMEOUT", "1")),
)
app = socketio.ASGIApp(sio)


@sio.on("echo")
async def echo(sid: str, *args: Any) -> tuple[Any, ...]:
    await sio.emit("echo", args if len(args) != 1 else args[0], to=sid)
    return args


@sio.on("add")
async def add(sid: str, *numbers: float) -> tuple[float, str]:
    return sum(numbers), "ok"


@sio.on("ticker")
async def ticker(sid: str, n: int = 3, ms: int = 10) -> None:
    for i in range(1, n + 1):
        await sio.emit("tick", {"n": i}, to=sid)
        await asyncio.sleep(ms / 1000)


@sio.on("join")
async def join(sid: str, room: str) -> str:
    await sio.enter_room(sid, room)
    return room


@sio.on("shout")
async def shout(sid: str, room: str, text: str) -> None:
    await sio.emit("news", text, room=room)


@sio.on("headers")
async def headers(sid: str, *_: Any) -> dict[str, Any]:
    environ = sio.get_environ(sid) or {}
    seen = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    return {"headers": seen, "query": environ.get("QUERY_STRING", "")}


@sio.on("bye")
async def bye(sid: str, *_: Any) -> None:
    await sio.disconnect(sid)


class Chat(socketio.AsyncNamespace):
    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        if not isinstance(auth, dict) or auth.get("token") != "secret":
            raise socketio.exceptions.ConnectionRefusedError("bad token")
        await self.emit("welcome", {"user": auth.get("user", "anonymous")}, to=sid)

    async def on_say(self, sid: str, text: str) -> None:
        await self.emit("said", text)


sio.register_namespace(Chat("/chat"))


async def main() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    print(f"READY http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    await serving


if __name__ == "__main__":
    asyncio.run(main())
