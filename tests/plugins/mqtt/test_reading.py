"""Received PUBLISHes read in bulk: every packet in order with its fields, whichever way it
was decoded (the driver's own QoS 0 path, or paho for properties, QoS 1/2 and the rest)."""

from __future__ import annotations

import pytest

from tests.plugins.mqtt.helpers import received, send

VERSIONS = ["5", "3.1.1"]


@pytest.mark.parametrize("version", VERSIONS)
async def test_small_large_binary_and_acknowledged_messages_arrive_in_order(broker, topic, version):
    big = "x" * 200_000  # several socket reads: a packet split across them
    messages = [
        {"topic": f"{topic}/a", "data": "m0"},
        {"topic": f"{topic}/b", "data": big},
        {"topic": f"{topic}/a", "data": "ff00", "encoding": "hex"},
        {"topic": f"{topic}/a", "data": "m3", "qos": 1},
        {"topic": f"{topic}/ü", "data": "m4"},
        {"topic": f"{topic}/a", "data": "m5", "retain": True},
    ]
    response = await send(
        {
            "url": broker.url,
            "version": version,
            "subscribe": [{"topic": f"{topic}/#", "qos": 1}],
            "messages": messages,
            "until": {"messages": len(messages), "timeoutMs": 10000},
        }
    )
    got = received(response)
    assert [m.data for m in got] == ["m0", big, b"\xff\x00", "m3", "m4", "m5"]
    assert [m.type for m in got] == ["text", "text", "binary", "text", "text", "text"]
    topics = [m.fields["topic"] for m in got]
    assert topics == [f"{topic}/{t}" for t in ("a", "b", "a", "a", "ü", "a")]
    assert [m.fields["qos"] for m in got] == [0, 0, 0, 1, 0, 0]
    assert [m.fields["mid"] == 0 for m in got] == [True, True, True, False, True, True]
    # a subscriber sees retain unset on messages it is sent live (only stored ones carry it)
    assert {(m.fields["retain"], m.fields["dup"], str(m.fields["properties"])) for m in got} == {
        (False, False, "{}")
    }
    assert response.ok


async def test_v5_properties_reach_the_message_among_plain_ones(broker, topic):
    messages = [
        {"data": "plain"},
        {
            "data": "typed",
            "properties": {"contentType": "text/plain", "userProperties": {"k": "v"}},
        },
        {"data": "plain again"},
    ]
    response = await send(
        {
            "url": broker.url,
            "topic": topic,
            "subscribe": [topic],
            "messages": messages,
            "until": {"messages": 3, "timeoutMs": 5000},
        }
    )
    got = received(response)
    assert [m.data for m in got] == ["plain", "typed", "plain again"]
    assert [m.fields["properties"] for m in got] == [
        {},
        {"contentType": "text/plain", "userProperties": {"k": "v"}},
        {},
    ]


async def test_messages_read_with_a_trace_are_the_same_and_logged(broker, topic):
    lines: list[str] = []
    raw = {
        "url": broker.url,
        "topic": topic,
        "subscribe": [topic],
        "messages": [{"data": f"m{i}"} for i in range(3)],
        "until": {"messages": 3, "timeoutMs": 5000},
    }
    traced, plain = await send(raw, trace=lines.append), await send(raw)
    assert [m.data for m in received(traced)] == [m.data for m in received(plain)]
    assert sum(line.startswith("Received PUBLISH") for line in lines) == 3
