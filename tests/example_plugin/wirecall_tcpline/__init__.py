"""A complete third-party protocol plugin: newline-delimited text over TCP.

An item with ``"protocol": "tcpline"`` connects to ``tcpline://HOST:PORT``, sends each of
its ``messages`` as one line and records every line the server sends back, until the
item's ``until`` condition (or the core's idle default) ends the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from wirecall.core import hookimpl
from wirecall.core.errors import CollectionError, ConnectError, Location
from wirecall.core.exchange import Exchange
from wirecall.core.protocol import ProtocolHandler
from wirecall.core.records import Message, Response


class TcpLineHandler(ProtocolHandler):
    name = "tcpline"
    schemes = ("tcpline",)
    streaming = True

    def parse(self, raw: Mapping[str, Any], at: Location) -> tuple[str, int]:
        parts = urlsplit(str(raw.get("url", "")))
        if parts.scheme != "tcpline" or not parts.hostname or not parts.port:
            raise CollectionError("expected a url like tcpline://HOST:PORT", at.child("url"))
        return parts.hostname, parts.port

    async def send(self, request: tuple[str, int], exchange: Exchange) -> Response:
        host, port = request
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            raise ConnectError(f"cannot connect to {host}:{port}: {exc.strerror}", protocol=self.name) from exc
        async with exchange.streaming():
            sender = asyncio.create_task(self._send_all(writer, exchange))
            async for line in exchange.until_stopped(reader):
                if not await exchange.receive(Message("received", line.decode().rstrip("\n"))):
                    break
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        writer.close()
        await writer.wait_closed()
        return Response(protocol=self.name, code=0, status="closed", messages=exchange.messages)

    @staticmethod
    async def _send_all(writer: asyncio.StreamWriter, exchange: Exchange) -> None:
        async for outgoing in exchange.outgoing():
            writer.write(f"{outgoing.data}\n".encode())
            await writer.drain()
            await exchange.sent(Message("sent", str(outgoing.data)))


@hookimpl
def wirecall_protocols() -> Iterable[type[ProtocolHandler]]:
    return [TcpLineHandler]
