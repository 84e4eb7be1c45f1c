"""Run items through the MQTT handler the way the runner does, and wait for SUBACKs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Message, Response
from wirecall.core.streams import StreamSpec
from wirecall.plugins.mqtt.handler import MqttHandler


async def send(
    raw: Mapping[str, Any],
    on_message: Callable[[Message], Any] | None = None,
    *,
    trace: Callable[[str], None] | None = None,
    handler: MqttHandler | None = None,
    settings: Settings | None = None,
    sign: Callable[[Any], None] | None = None,
) -> Response:
    """Run one item's request through the handler as the runner does."""
    handler = handler or MqttHandler(trace=trace)
    request = handler.parse(raw, Location())
    if sign is not None:  # what an auth scheme does to the handler's auth target
        sign(handler.auth_target(request))

    async def receive(message: Message) -> bool:
        return True if on_message is None else on_message(message) is not False

    exchange = Exchange(
        settings=settings, stream=StreamSpec.from_request(raw, Location()), on_message=receive
    )
    return await handler.send(request, exchange)


class Subscribed:
    """A trace callback that tells when the broker acknowledged a SUBSCRIBE."""

    def __init__(self) -> None:
        self.event = asyncio.Event()

    def __call__(self, line: str) -> None:
        if line.startswith("Received SUBACK"):
            self.event.set()

    async def wait(self) -> None:
        await asyncio.wait_for(self.event.wait(), 10)


def received(response: Response) -> list[Message]:
    return [m for m in response.messages if m.direction == "received"]


@contextlib.asynccontextmanager
async def silent_broker(*, connack: bool = True) -> AsyncIterator[str]:
    """An MQTT 3.1.1 'broker' that never acknowledges a PUBLISH (nor, without ``connack``,
    the CONNECT): its URL."""
    ended: list[asyncio.Event] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ended.append(done := asyncio.Event())
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while header := await reader.read(1):
                length, shift = 0, 0
                while (byte := (await reader.readexactly(1))[0]) & 0x80:
                    length, shift = length | (byte & 0x7F) << shift, shift + 7
                await reader.readexactly(length | byte << shift)
                if header[0] >> 4 == 1 and connack:  # CONNECT: accept it
                    writer.write(bytes([0x20, 0x02, 0x00, 0x00]))
        writer.close()
        await writer.wait_closed()
        done.set()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with server:
        yield f"mqtt://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        for done in ended:  # the client hung up: its connection is closed here too
            await asyncio.wait_for(done.wait(), 5)
