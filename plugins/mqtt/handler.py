"""MqttHandler: one MQTT session per item, messages through core's shared stream model.

Request shape (an item's ``request`` with ``"protocol": "mqtt"``; docs/protocols/mqtt.md)::

    {"url": "mqtt://127.0.0.1:1883",            # mqtts://, ws://host/mqtt, wss://
     "version": "5",                             # or "3.1.1"
     "clientId": "probe-1", "cleanStart": true, "sessionExpiry": 0, "keepAlive": 60,
     "username": "u", "password": "p",           # or auth (basic) / user:pass@ in the URL
     "unix": "/run/mosquitto.sock",              # connect through a Unix socket instead
     "will": {"topic": "status", "data": "gone", "qos": 1, "retain": true,
              "properties": {"willDelay": 0, "contentType": "text/plain"}},
     "subscribe": ["a/#", {"topic": "b/+", "qos": 1, "noLocal": true,
                           "retainAsPublished": true, "retainHandling": 0}],
     "topic": "default/topic",
     "messages": [{"topic": "a/1", "data": "hi", "qos": 1, "retain": false, "delayMs": 0,
                   "encoding": "text|json|hex|base64", "file": "payload.bin",
                   "properties": {"contentType": "...", "payloadFormat": 1, "messageExpiry": 60,
                                  "responseTopic": "...", "correlationData": "...",
                                  "topicAlias": 1, "userProperties": {"k": "v"}}}],
     "until": {"messages": 2, "idleMs": 500, "timeoutMs": 5000, "match": "re", "topic": "a/+"},
     "tls": {"verify": true, "ca": "ca.pem", "cert": "client.pem", "key": "client.key"}}

paho is imported by ``send`` only (through the session module), so listing protocols stays cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from wirecall.core.errors import Location, StatusError
from wirecall.core.protocol import ProtocolHandler
from wirecall.core.records import Message, Response
from wirecall.core.streams import monotonic_ms
from wirecall.plugins.mqtt.publisher import Publisher
from wirecall.plugins.mqtt.request import (
    PROTOCOL,
    SCHEMES,
    MqttAuthTarget,
    MqttRequest,
    parse_request,
)

if TYPE_CHECKING:
    from wirecall.core.exchange import Exchange
    from wirecall.plugins.mqtt.session import Received, Session


class MqttHandler(ProtocolHandler):
    name = PROTOCOL
    schemes = SCHEMES
    streaming = True

    def __init__(self, trace: Callable[[str], None] | None = None) -> None:
        self.trace = trace  # paho's protocol log lines (``wirecall mqtt sub -d``)

    def parse(self, raw: Mapping[str, Any], at: Location) -> MqttRequest:
        return parse_request(raw, at)

    def describe(self, request: MqttRequest) -> dict[str, Any]:
        return {
            "url": request.url,
            "version": "5" if request.version == 5 else "3.1.1",
            "clientId": request.client_id,
            "subscribe": [{"topic": s.topic, "qos": s.qos} for s in request.subscribe],
        }

    def auth_target(self, request: MqttRequest) -> MqttAuthTarget:
        return MqttAuthTarget(request)

    async def send(self, request: MqttRequest, exchange: Exchange) -> Response:
        from wirecall.plugins.mqtt.session import Session

        started = monotonic_ms()
        async with Session(request, exchange.settings, trace=self.trace) as session:
            granted = await session.subscribe(request.subscribe) if request.subscribe else []
            for subscription, (code, reason) in zip(request.subscribe, granted, strict=False):
                if code >= 0x80:
                    raise StatusError(
                        f"{session.address}: subscription to {subscription.topic!r} refused: {reason} ({code})",
                        protocol=PROTOCOL,
                        status=code,
                    )
            publisher = Publisher(session, exchange)
            await _stream(session, exchange, publisher)
        code, reason = session.connack
        disconnect = session.broker_disconnect
        return Response(
            protocol=PROTOCOL,
            code=code,
            status=reason,
            messages=exchange.messages,
            response_time_ms=monotonic_ms() - started,
            url=request.url,
            ok=not publisher.unacknowledged and disconnect is None,
            extra={
                "clientId": request.client_id,
                "sessionPresent": session.session_present,
                "subscriptions": [
                    {"topic": s.topic, "qos": g[0] if g[0] < 0x80 else None, "reason": g[1]}
                    for s, g in zip(request.subscribe, granted, strict=False)
                ],
                "unacknowledged": publisher.unacknowledged,
                "disconnect": {"code": disconnect[0], "reason": disconnect[1]}
                if disconnect
                else None,
                "stopReason": exchange.stop_reason,
            },
        )


async def _stream(session: Session, exchange: Exchange, publisher: Publisher) -> None:
    """Publish what core hands out while giving every received PUBLISH to core."""
    async with exchange.streaming():
        writer = asyncio.create_task(publisher.write())
        recorder = asyncio.create_task(publisher.record())
        try:
            async for received in exchange.until_stopped(session):
                if not await exchange.receive(received_message(received)):
                    break
            else:
                if session.broker_disconnect is not None:
                    code, reason = session.broker_disconnect
                    exchange.stop(f"disconnected by the broker: {reason} ({code})")
            # the stream is stopped: outgoing() ends, and in-flight QoS 1/2 publishes get
            # their acknowledgement (or their timeout) before the session disconnects
            await writer
            await recorder
        finally:
            for task in (writer, recorder):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task


def received_message(received: Received) -> Message:
    """A received PUBLISH as core's Message (text when the payload is UTF-8)."""
    from wirecall.plugins.mqtt.session import properties_json

    msg = received.message
    payload = msg.payload
    try:
        data: str | bytes = payload.decode("utf-8")
        kind = "text"
    except UnicodeDecodeError:
        data, kind = bytes(payload), "binary"
    fields = {
        "topic": msg.topic,
        "qos": msg.qos,
        "retain": bool(msg.retain),
        "dup": bool(msg.dup),
        "mid": msg.mid,
        "properties": properties_json(msg.properties),
    }
    return Message("received", data, kind, timestamp=received.timestamp, fields=fields)
