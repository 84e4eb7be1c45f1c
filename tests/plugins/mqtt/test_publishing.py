"""Publishing many messages at once: every outcome recorded, in publishing order.

The handler hands each PUBLISH to paho without waiting for the previous one's PUBACK, so
these check what a user reads in the report: the order of the sent messages, their
acknowledgements, and the failures when a broker never acknowledges.
"""

from __future__ import annotations

import asyncio

import pytest
from wirecall.core.errors import CollectionError, Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.streams import StreamSpec
from wirecall.plugins.mqtt.handler import MqttHandler

from tests.plugins.mqtt.helpers import Subscribed, received, send, silent_broker


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


async def test_a_message_file_that_cannot_be_read_names_its_message(broker, topic, tmp_path):
    """Checked when sent (the file may change after parsing): the error names the message,
    and the messages before it were published."""
    seen: list[str] = []
    raw = {"url": broker.url, "topic": f"{topic}/x",
           "messages": ["a", {"file": "missing.bin"}, "b"]}  # fmt: skip
    with pytest.raises(CollectionError, match="missing.bin") as caught:
        await send(raw, lambda m: seen.append(m.data), settings=Settings(working_dir=str(tmp_path)))
    assert caught.value.location is not None
    assert caught.value.location.json_path == "$.request.messages[1].file"
    assert seen == ["a"]


async def test_a_run_of_messages_reaches_another_client_whole_and_in_order(broker, topic):
    # QoS 0 messages go out together, QoS 1 ones and those with properties through paho:
    # one stream in publishing order, numbered as paho numbers them, all there at DISCONNECT
    levels = [0] * 3000 + [1] + [0] * 10 + [1]
    texts = [f"m{i}" + "x" * (i % 7) * 1000 for i in range(len(levels))]
    messages = [{"data": t, "qos": q} for t, q in zip(texts, levels, strict=True)]
    messages[5]["properties"] = {"contentType": "text/plain"}
    subscribed = Subscribed()
    listener = asyncio.create_task(send({
        "url": broker.url, "subscribe": [{"topic": topic, "qos": 1}],
        "until": {"messages": len(texts), "timeoutMs": 20000},
    }, trace=subscribed))  # fmt: skip
    await subscribed.wait()
    response = await send({"url": broker.url, "topic": topic, "messages": messages})
    sent = [m for m in response.messages if m.direction == "sent"]
    assert [m.data for m in sent] == texts
    assert [m.fields["mid"] for m in sent] == list(range(1, len(texts) + 1))
    assert response.extra["stopReason"] == "published all messages"
    assert [m.data for m in received(await listener)] == texts


async def test_messages_are_sent_as_they_resolve_when_sent(broker, topic):
    # an item's messages are checked when parsed; one that resolves differently when it is
    # sent (a variable a script changed meanwhile) is checked again and sent as resolved
    raw = {"url": broker.url, "topic": topic,
           "messages": [{"data": "same"}, {"data": "old", "qos": 1}, {"data": "ff", "encoding": "hex"}]}  # fmt: skip
    handler = MqttHandler()
    request = handler.parse(raw, Location())

    def resolve(value: object) -> object:
        return (
            {**value, "topic": f"{topic}/new"}
            if isinstance(value, dict) and value.get("qos")
            else ("new" if value == "old" else value)
        )

    stream = StreamSpec.from_request(raw, Location())
    response = await handler.send(request, Exchange(stream=stream, resolve=resolve))
    sent = [m for m in response.messages if m.direction == "sent"]
    assert [(m.data, m.fields["topic"]) for m in sent] == [
        ("same", topic), ("new", f"{topic}/new"), (b"\xff", topic)
    ]  # fmt: skip
