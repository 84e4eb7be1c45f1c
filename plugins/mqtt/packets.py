"""The plain PUBLISH packets the driver reads and writes without paho, and packet framing.

Why: paho reads a packet with three ``recv`` calls (type, length, body) and builds a v5
``Properties`` object (and clears it) for every PUBLISH, even one that carries none; it
sends a QoS 0 PUBLISH with a ``threading.Condition`` and a ``send`` call of its own: most of
what a message cost. A QoS 0 PUBLISH with no properties needs none of that (no
acknowledgement, no session state), so ``decode_publish`` and ``encode_publish`` handle just
that one; any other packet goes through paho as before.
"""

from __future__ import annotations

from typing import Any, NamedTuple

PUBLISH = 0x30
QOS_BITS = 0x06
MAX_LENGTH_BYTES = 4  # the remaining length is a variable byte integer of at most 4 bytes
MAX_TOPIC_BYTES = 65535
MAX_PAYLOAD_BYTES = 268435455 - MAX_TOPIC_BYTES - 3  # a remaining length fits 4 bytes


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


def encode_publish(topic: bytes, payload: bytes, retain: bool, v5: bool) -> bytes | None:
    """A QoS 0 PUBLISH with no properties; None for what paho alone reports (a topic or a
    payload it refuses), so that the error stays paho's."""
    if (
        not topic
        or len(topic) > MAX_TOPIC_BYTES
        or b"+" in topic
        or b"#" in topic
        or len(payload) > MAX_PAYLOAD_BYTES
    ):
        return None
    length = 2 + len(topic) + v5 + len(payload)
    header = bytearray((PUBLISH | retain,))
    while True:
        byte, length = length & 0x7F, length >> 7
        header.append(byte | 0x80 if length else byte)
        if not length:
            break
    header += len(topic).to_bytes(2, "big")
    return b"".join((header, topic, b"\0" if v5 else b"", payload))
