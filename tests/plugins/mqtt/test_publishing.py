"""Publishing many messages at once: every outcome recorded, in publishing order.

The handler hands each PUBLISH to paho without waiting for the previous one's PUBACK, so
these check what a user reads in the report: the order of the sent messages, their
acknowledgements, and the failures when a broker never acknowledges.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from wirecall.core.exchange import Settings

from tests.plugins.mqtt.helpers import received, send


async def test_many_qos1_messages_are_acknowledged_and_recorded_in_order(broker, topic):
    texts = [f"m{i}" for i in range(300)]
    response = await send({
        "url": broker.url, "subscribe": [{"topic": topic, "qos": 1}],
        "messages": [{"topic": topic, "data": text, "qos": 1} for text in texts],
        "until": {"messages": len(texts), "timeoutMs": 20000},
    })  # fmt: skip
    sent = [m for m in response.messages if m.direction == "sent"]
    assert [m.data for m in sent] == texts
    assert all(m.fields["acknowledged"] is True for m in sent)
    assert len({m.fields["mid"] for m in sent}) == len(texts)
    assert sorted(m.data for m in received(response)) == sorted(texts)
    assert response.ok and response.extra["unacknowledged"] == []


async def test_mixed_qos_keeps_the_publishing_order(broker, topic):
    levels = [0, 2, 0, 1, 0, 2, 1, 0]
    response = await send(
        {
            "url": broker.url,
            "messages": [
                {"topic": topic, "data": f"q{q}-{i}", "qos": q} for i, q in enumerate(levels)
            ],
        }
    )
    sent = [m for m in response.messages if m.direction == "sent"]
    assert [(m.data, m.fields["qos"]) for m in sent] == [
        (f"q{q}-{i}", q) for i, q in enumerate(levels)
    ]
    assert [m.fields["acknowledged"] for m in sent] == [None if q == 0 else True for q in levels]
    assert response.extra["stopReason"] == "published all messages"


@contextlib.asynccontextmanager
async def silent_broker() -> AsyncIterator[str]:
    """An MQTT 3.1.1 'broker' that accepts the connection and never acknowledges a PUBLISH."""
    ended: list[asyncio.Event] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ended.append(done := asyncio.Event())
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while header := await reader.read(1):
                length, shift = 0, 0
                while (byte := (await reader.readexactly(1))[0]) & 0x80:
                    length, shift = length | (byte & 0x7F) << shift, shift + 7
                await reader.readexactly(length | byte << shift)
                if header[0] >> 4 == 1:  # CONNECT: accept it
                    writer.write(bytes([0x20, 0x02, 0x00, 0x00]))
        writer.close()
        await writer.wait_closed()
        done.set()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with server:
        yield f"mqtt://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        for done in ended:  # the client hung up: its connection is closed here too
            await asyncio.wait_for(done.wait(), 5)


@pytest.mark.parametrize("qos", [1, 2])
async def test_messages_never_acknowledged_are_listed_in_order_and_fail_the_item(qos):
    async with silent_broker() as url:
        response = await send(
            {
                "url": url,
                "version": "3.1.1",
                "messages": [{"topic": "t", "data": f"m{i}", "qos": qos} for i in range(3)],
            },
            settings=Settings(timeout_request_ms=300),
        )
    sent = [m for m in response.messages if m.direction == "sent"]
    assert [(m.data, m.fields["acknowledged"]) for m in sent] == [
        ("m0", False),
        ("m1", False),
        ("m2", False),
    ]
    assert [u["reason"] for u in response.extra["unacknowledged"]] == [
        "no acknowledgement within 0.3 s"
    ] * 3
    assert [u["mid"] for u in response.extra["unacknowledged"]] == [m.fields["mid"] for m in sent]
    assert response.ok is False
