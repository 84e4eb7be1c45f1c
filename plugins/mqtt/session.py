"""One MQTT connection on paho-mqtt, driven from asyncio.

Why a thread: paho runs its network loop in a thread of its own (``loop_start``) and we keep
that rather than driving its socket from asyncio's ``add_reader``. paho's loop already
handles what a bare readiness callback would miss (bytes decrypted and waiting in the TLS
buffer, WebSocket framing, keep-alive pings, QoS retries), and its ``publish``,
``subscribe`` and ``disconnect`` are documented as safe to call from another thread.

How the two meet: the paho thread never touches an asyncio object. Each paho callback hands
its arguments to the event loop with ``call_soon_threadsafe``; futures (CONNACK, SUBACK,
PUBACK/PUBCOMP by message id) and the queue of received messages live on the loop's thread
only. The blocking part of ``connect`` (DNS, TCP, TLS and WebSocket handshakes) runs in
``asyncio.to_thread``, so its exceptions reach ``map_errors`` unchanged, and the loop
thread is joined (``loop_stop``) before the session is left, so no callback outlives it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from paho.mqtt import client as paho
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions
from wirecall.core.errors import ConnectError, TLSError
from wirecall.core.exchange import Settings
from wirecall.core.tls import client_context
from wirecall.plugins.mqtt.errors import PROTOCOL, map_errors, refused
from wirecall.plugins.mqtt.request import (
    PUBLISH_PROPERTIES,
    WILL_PROPERTIES,
    MqttRequest,
    Publish,
    Subscription,
)

DEFAULT_TIMEOUT_S = 10.0
# received-only v5 properties, on top of the ones a publisher can set
RECEIVED_PROPERTIES = {
    **PUBLISH_PROPERTIES,
    "subscriptionIdentifier": ("SubscriptionIdentifier", int),
}


@dataclass(frozen=True)
class Received:
    """A PUBLISH from the broker, with the wall-clock time paho's thread read it."""

    message: paho.MQTTMessage
    timestamp: float


@dataclass(frozen=True)
class Outcome:
    """What became of a PUBLISH: ``acknowledged`` is None for QoS 0 (nothing to wait for)."""

    mid: int
    acknowledged: bool | None
    reason: str


class Session:
    """An async context manager: connected (CONNACK accepted) inside, disconnected after."""

    def __init__(
        self,
        request: MqttRequest,
        settings: Settings | None = None,
        *,
        trace: Callable[[str], None] | None = None,
    ) -> None:
        self.request = request
        self.settings = settings or Settings()
        self.timeout_s = (self.settings.timeout_request_ms or DEFAULT_TIMEOUT_S * 1000) / 1000
        self.address = request.unix or f"{request.scheme}://{request.host}:{request.port}"
        self.connack: tuple[int, str] = (-1, "")
        self.session_present = False
        self.broker_disconnect: tuple[int, str] | None = None  # set when the broker ended it
        self._trace = trace
        self._loop = asyncio.get_running_loop()
        self._connected: asyncio.Future[None] = self._loop.create_future()
        self._acks: dict[int, asyncio.Future[tuple[bool, str]]] = {}
        self._subacks: dict[int, asyncio.Future[list[tuple[int, str]]]] = {}
        self._incoming: asyncio.Queue[Received | None] = asyncio.Queue()
        self._closing = False
        self._started = False
        self._client = self._make_client()

    # -- the asyncio side ----------------------------------------------------------------

    async def __aenter__(self) -> Self:
        try:
            with map_errors(self.address):
                await self._connect()
        except BaseException:
            await self.__aexit__()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        if (
            self._connected.done()
            and not self._connected.exception()
            and self.broker_disconnect is None
        ):
            self._client.disconnect()
        if self._started:
            await asyncio.to_thread(self._client.loop_stop)
        if not self._connected.done():
            self._connected.cancel()

    def __aiter__(self) -> Session:
        return self

    async def __anext__(self) -> Received:
        """Received PUBLISH packets in order, until the connection closes."""
        item = await self._incoming.get()
        if item is None:
            self._incoming.put_nowait(None)  # stay ended for later readers
            raise StopAsyncIteration
        return item

    async def subscribe(self, subscriptions: list[Subscription]) -> list[tuple[int, str]]:
        """Send one SUBSCRIBE; return the broker's (reason code, name) per filter."""
        if self.request.version == 5:
            topics: list[Any] = [
                (
                    s.topic,
                    SubscribeOptions(s.qos, s.no_local, s.retain_as_published, s.retain_handling),
                )
                for s in subscriptions
            ]
        else:
            topics = [(s.topic, s.qos) for s in subscriptions]
        with map_errors(self.address):
            rc, mid = self._client.subscribe(topics)
            if rc != paho.MQTT_ERR_SUCCESS or mid is None:
                raise ConnectError(
                    f"{self.address}: cannot subscribe: {paho.error_string(rc)}", protocol=PROTOCOL
                )
            future = self._subacks[mid] = self._loop.create_future()
            try:
                return await asyncio.wait_for(future, self.timeout_s)
            finally:
                del self._subacks[mid]

    async def publish(self, message: Publish) -> Outcome:
        """Send a PUBLISH; for QoS 1/2 wait for PUBACK/PUBCOMP (at most ``timeout_s``)."""
        properties = (
            _properties(PacketTypes.PUBLISH, message.properties)
            if self.request.version == 5
            else None
        )
        with map_errors(self.address):
            info = self._client.publish(
                message.topic, message.payload, message.qos, message.retain, properties
            )
        if info.rc != paho.MQTT_ERR_SUCCESS and info.rc != paho.MQTT_ERR_NO_CONN:
            return Outcome(info.mid, False if message.qos else None, paho.error_string(info.rc))
        if info.rc == paho.MQTT_ERR_NO_CONN or self.broker_disconnect is not None:
            return Outcome(
                info.mid, False if message.qos else None, "not sent: the connection is closed"
            )
        future = self._acks[info.mid] = self._loop.create_future()
        try:
            acknowledged, reason = await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError:
            acknowledged, reason = False, f"no acknowledgement within {self.timeout_s:g} s"
        finally:
            del self._acks[info.mid]
        return Outcome(info.mid, acknowledged if message.qos else None, reason)

    async def _connect(self) -> None:
        request, client = self.request, self._client
        kwargs: dict[str, Any] = {}
        if request.version == 5:
            values: dict[str, Any] = {"userProperties": request.user_properties}
            if request.session_expiry is not None:
                values["sessionExpiry"] = request.session_expiry
            kwargs = {
                "clean_start": request.clean_start,
                "properties": _properties(PacketTypes.CONNECT, values),
            }
        host = request.unix or request.host
        await asyncio.to_thread(client.connect, host, request.port, request.keep_alive, **kwargs)
        client.loop_start()
        self._started = True
        await asyncio.wait_for(asyncio.shield(self._connected), self.timeout_s)
        code, reason = self.connack
        if code >= 0x80 or (request.version != 5 and code != 0):
            raise refused(self.address, code, reason)

    # -- the paho side: runs in paho's thread, posts to the loop --------------------------

    def _make_client(self) -> paho.Client:
        request = self.request
        client = paho.Client(
            paho.CallbackAPIVersion.VERSION2,
            client_id=request.client_id,
            clean_session=None if request.version == 5 else request.clean_start,
            protocol=paho.MQTTv5 if request.version == 5 else paho.MQTTv311,
            transport=request.transport,  # type: ignore[arg-type]
            reconnect_on_failure=False,
        )
        client.connect_timeout = self.timeout_s
        if request.transport == "websockets":
            client.ws_set_options(path=request.ws_path)
        if request.secure:
            context = client_context(self.settings, request.tls, host=request.url)
            context.sslsocket_class = _ClosingSSLSocket
            client.tls_set_context(context)
        if request.username is not None:
            client.username_pw_set(request.username, request.password)
        if request.will is not None:
            will = request.will
            props = (
                _properties(PacketTypes.WILLMESSAGE, will.properties, WILL_PROPERTIES)
                if request.version == 5
                else None
            )
            client.will_set(will.topic, will.payload, will.qos, will.retain, props)
        client.on_socket_open = _no_delay
        client.on_connect = self._on_connect
        client.on_subscribe = lambda c, u, mid, codes, p: self._post(
            self._resolve, self._subacks, mid, [(rc.value, str(rc)) for rc in codes]
        )
        client.on_publish = lambda c, u, mid, rc, p: self._post(
            self._resolve, self._acks, mid, (not rc.is_failure, str(rc))
        )
        client.on_message = lambda c, u, msg: self._post(
            self._incoming.put_nowait, Received(msg, time.time())
        )
        client.on_disconnect = lambda c, u, flags, rc, p: self._post(
            self._on_disconnect, rc.value, str(rc)
        )
        if self._trace is not None:
            client.on_log = lambda c, u, level, text: self._post(self._trace, text)  # type: ignore[misc]
        return client

    def _post(self, callback: Callable[..., Any], *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is waiting any more
            self._loop.call_soon_threadsafe(callback, *args)

    def _on_connect(
        self, client: paho.Client, userdata: Any, flags: Any, rc: Any, props: Any
    ) -> None:
        self._post(self._connack_received, rc.value, str(rc), bool(flags.session_present))

    # -- loop-thread handlers of what paho posted ------------------------------------------

    def _connack_received(self, code: int, reason: str, session_present: bool) -> None:
        self.connack, self.session_present = (code, reason), session_present
        if not self._connected.done():
            self._connected.set_result(None)

    @staticmethod
    def _resolve(futures: dict[int, asyncio.Future[Any]], mid: int, value: Any) -> None:
        future = futures.get(mid)
        if future is not None and not future.done():
            future.set_result(value)

    def _on_disconnect(self, code: int, reason: str) -> None:
        if not self._closing:
            self.broker_disconnect = (code, reason)
            for future in self._acks.values():
                if not future.done():
                    future.set_result((False, f"connection closed: {reason}"))
        if not self._connected.done():
            message = f"{self.address}: the broker closed the connection before CONNACK: {reason}"
            if self.request.secure:  # TLS 1.3 reports a missing client certificate only now
                hint = " (does the broker require a client certificate? set tls.cert and tls.key)"
                error: Exception = TLSError(message + hint, protocol=PROTOCOL)
            else:
                error = ConnectError(message, protocol=PROTOCOL)
            self._connected.set_exception(error)
        self._incoming.put_nowait(None)


class _ClosingSSLSocket(ssl.SSLSocket):
    """Closes itself when the handshake fails: paho drops the socket without closing it."""

    def do_handshake(self, block: bool = False) -> None:
        try:
            super().do_handshake(block)
        except BaseException:
            self.close()
            raise


def _no_delay(client: paho.Client, userdata: Any, sock: Any) -> None:
    """Send small packets at once: Nagle plus delayed ACKs adds ~40 ms per QoS 1 round trip."""
    raw = getattr(sock, "_socket", sock)  # paho's WebSocket wrapper keeps the socket inside
    if getattr(raw, "family", None) in (socket.AF_INET, socket.AF_INET6):
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _properties(
    packet: int, values: dict[str, Any], names: dict[str, tuple[str, type]] | None = None
) -> Properties | None:
    """paho Properties from item-named values (None when there are none)."""
    names = names or {**PUBLISH_PROPERTIES, "sessionExpiry": ("SessionExpiryInterval", int)}
    props, empty = Properties(packet), True
    for key, value in values.items():
        if key == "userProperties":
            pairs = list(value.items()) if isinstance(value, dict) else list(value)
            if not pairs:
                continue
            props.UserProperty = pairs
        elif key == "correlationData":
            props.CorrelationData = value.encode()
        else:
            setattr(props, names[key][0], value)
        empty = False
    return None if empty else props


def properties_json(props: Properties | None) -> dict[str, Any]:
    """Received v5 properties by their item names; correlation data as text (base64 if binary)."""
    if props is None:
        return {}
    out: dict[str, Any] = {}
    for key, (attr, _) in RECEIVED_PROPERTIES.items():
        if not hasattr(props, attr):
            continue
        value = getattr(props, attr)
        if key == "userProperties":
            value = dict(value)
        elif key == "correlationData":
            value = _text_or_base64(bytes(value))
        elif key == "subscriptionIdentifier" and isinstance(value, list):
            value = value[0] if len(value) == 1 else value
        out[key] = value
    return out


def _text_or_base64(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(data).decode()
