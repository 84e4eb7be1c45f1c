"""Received packets split out of a read buffer, and the common PUBLISH decoded without paho.

Why: paho reads a packet with three ``recv`` calls (type, length, body) and builds a v5
``Properties`` object (and clears it) for every PUBLISH, even one that carries none: about
half of what a received message cost. A QoS 0 PUBLISH with no properties and a UTF-8 topic
needs none of that (no acknowledgement, no session state), so ``decode_publish`` makes it
an ``Incoming`` straight from the bytes; any other packet goes to paho as before.
"""

from __future__ import annotations

from typing import Any, NamedTuple

PUBLISH = 0x30
QOS_BITS = 0x06
MAX_LENGTH_BYTES = 4  # the remaining length is a variable byte integer of at most 4 bytes


class Incoming(NamedTuple):
    """A received PUBLISH, with the attributes of paho's ``MQTTMessage`` that wirecall reads."""

    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False
    dup: bool = False
    mid: int = 0
    properties: Any = None  # none: a PUBLISH with properties is left to paho


def packet_span(buffer: bytearray, start: int) -> tuple[int, int] | None:
    """(body start, packet end) of the packet at ``start``; None until all of it is there.

    A malformed length (a fifth length byte) reports the buffer's end as the packet's, so
    that paho reads it and reports the protocol error as it always did.
    """
    end = len(buffer)
    length, shift, pos = 0, 0, start + 1
    while pos < end:
        byte = buffer[pos]
        pos += 1
        length |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return (pos, pos + length) if pos + length <= end else None
        shift += 7
        if pos - start > MAX_LENGTH_BYTES:
            return pos, end
    return None


def decode_publish(buffer: bytearray, start: int, body: int, end: int, v5: bool) -> Incoming | None:
    """The QoS 0 PUBLISH at ``start`` with no properties and a UTF-8 topic; else None (paho's)."""
    command = buffer[start]
    if command & 0xF0 != PUBLISH or command & QOS_BITS or end - body < 2:
        return None
    topic_end = body + 2 + ((buffer[body] << 8) | buffer[body + 1])
    payload = topic_end + 1 if v5 else topic_end
    if topic_end == body + 2 or payload > end or (v5 and buffer[topic_end] != 0):
        return None
    try:
        topic = buffer[body + 2 : topic_end].decode("utf-8")
    except UnicodeDecodeError:
        return None  # paho's message raises when its topic is read: keep that
    return Incoming(
        topic, bytes(buffer[payload:end]), 0, bool(command & 0x01), bool(command & 0x08)
    )
