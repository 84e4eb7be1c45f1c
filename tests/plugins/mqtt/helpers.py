"""Run items through the MQTT handler the way the runner does, and wait for SUBACKs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
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

    exchange = Exchange(settings=settings, stream=StreamSpec.from_request(raw, Location()), on_message=receive)
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
