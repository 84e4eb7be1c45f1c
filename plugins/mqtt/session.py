"""One MQTT connection on paho-mqtt, driven from asyncio.

paho's network I/O runs on the event loop (``LoopDriver``), so its callbacks run on the
loop's thread and set futures (CONNACK, SUBACK, PUBACK/PUBCOMP by message id) and fill the
queue of received messages directly. Only the blocking part of ``connect`` (DNS, TCP, TLS
and WebSocket handshakes) runs in ``asyncio.to_thread``, so its exceptions reach
``map_errors`` unchanged; paho's log lines from that thread are handed to the loop.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple, Self

from paho.mqtt import client as paho
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions
from wirecall.core.errors import ConnectError, TLSError
from wirecall.core.exchange import Settings
from wirecall.core.tls import client_context
from wirecall.plugins.mqtt.driver import LoopDriver
from wirecall.plugins.mqtt.errors import PROTOCOL, map_errors, refused
from wirecall.plugins.mqtt.packets import Incoming
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


# what paho's Properties keeps in its own attributes; any other attribute is a property
_PROPERTIES_OWN = frozenset({"packetType", "types", "names", "properties"})


class Received(NamedTuple):
    """A PUBLISH from the broker (paho's, or decoded by the driver), with the wall-clock
    time it was read."""

    message: paho.MQTTMessage | Incoming
    timestamp: float


class Outcome(NamedTuple):
    """What became of a PUBLISH: ``acknowledged`` is None for QoS 0 (nothing to wait for).

    This and ``Pending`` are tuples, made for every message: a frozen dataclass costs
    several times as much to make."""

    mid: int
    acknowledged: bool | None
    reason: str


class Pending(NamedTuple):
    """A PUBLISH handed to paho; ``Session.outcome`` waits for what becomes of it."""

    mid: int
    qos: int
    done: asyncio.Future[tuple[bool, str]]  # (acknowledged, reason), set by paho's callbacks
    deadline: float  # loop time after which it counts as unacknowledged


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
        self._loop_thread = threading.get_ident()
        self._connected: asyncio.Future[None] = self._loop.create_future()
        self._acks: dict[int, asyncio.Future[tuple[bool, str]]] = {}
        self._subacks: dict[int, asyncio.Future[list[tuple[int, str]]]] = {}
        self._incoming: collections.deque[Received | None] = collections.deque()
        self._reader: asyncio.Future[None] | None = None  # set while __anext__ waits
        self._closing = False
        self._client = self._make_client()
        # paho logs each PUBLISH it reads and writes: with a trace, every packet goes through it
        fast = trace is None
        self._driver = LoopDriver(
            self._loop,
            self._client,
            self._deliver_incoming if fast else None,
            v5=request.version == 5,
            raw_writes=fast and request.transport != "websockets" and not request.secure,
        )
        self._written: asyncio.Future[tuple[bool, str]] = self._loop.create_future()
        self._written.set_result((True, "Success"))  # what every QoS 0 PUBLISH written becomes

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
            self._driver.flush()
            await self._driver.wait_closed(self.timeout_s)
        else:
            self._driver.close()
        if not self._connected.done():
            self._connected.cancel()

    def __aiter__(self) -> Session:
        return self

    async def __anext__(self) -> Received:
        """Received PUBLISH packets in order, until the connection closes."""
        if not self._incoming:
            self._reader = self._loop.create_future()
            try:
                await self._reader
            finally:
                self._reader = None
        item = self._incoming[0]
        if item is None:
            raise StopAsyncIteration  # the end stays queued for later readers
        self._incoming.popleft()
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
            self._driver.flush()
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
        return await self.outcome(self.send(message))

    def send(self, message: Publish) -> Pending:
        """Hand a PUBLISH to paho without waiting: senders keep several in flight.

        QoS 0 is done once paho (or the driver, for one without properties) has it: nothing
        to wait for; only QoS 1/2 wait for paho's ``on_publish``, which is set on first need
        because paho builds a reason code and a Properties object for every QoS 0 write while
        it is set.
        """
        if not message.qos and not message.properties and self.broker_disconnect is None:
            mid = self._driver.publish(message.topic, message.payload, message.retain)
            if mid is not None:
                return Pending(mid, 0, self._written, 0.0)
        properties = (
            _properties(PacketTypes.PUBLISH, message.properties)
            if self.request.version == 5
            else None
        )
        if message.qos and self._client.on_publish is None:
            self._client.on_publish = self._on_publish
        try:
            info = self._client.publish(
                message.topic, message.payload, message.qos, message.retain, properties
            )
        except Exception:
            with map_errors(self.address):  # entered only for an error: this runs per message
                raise
        self._driver.flush()
        done: asyncio.Future[tuple[bool, str]] = self._loop.create_future()
        if info.rc != paho.MQTT_ERR_SUCCESS and info.rc != paho.MQTT_ERR_NO_CONN:
            done.set_result((False, paho.error_string(info.rc)))
        elif info.rc == paho.MQTT_ERR_NO_CONN or self.broker_disconnect is not None:
            done.set_result((False, "not sent: the connection is closed"))
        elif not message.qos:
            done.set_result((True, "Success"))
        else:
            self._acks[info.mid] = done
        return Pending(info.mid, message.qos, done, self._loop.time() + self.timeout_s)

    async def outcome(self, pending: Pending) -> Outcome:
        """What became of a sent PUBLISH: written (QoS 0) or acknowledged (QoS 1/2), or why not."""
        try:
            if not pending.done.done():
                await asyncio.wait_for(pending.done, max(0.0, pending.deadline - self._loop.time()))
            acknowledged, reason = pending.done.result()
        except TimeoutError:
            acknowledged, reason = False, f"no acknowledgement within {self.timeout_s:g} s"
        finally:
            if self._acks.get(pending.mid) is pending.done:
                del self._acks[pending.mid]
        return Outcome(pending.mid, acknowledged if pending.qos else None, reason)

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
        self._driver.start()
        await asyncio.wait_for(asyncio.shield(self._connected), self.timeout_s)
        code, reason = self.connack
        if code >= 0x80 or (request.version != 5 and code != 0):
            raise refused(self.address, code, reason)

    # -- paho's callbacks: on the loop's thread once connected ------------------------------

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
        client.on_subscribe = lambda c, u, mid, codes, p: _resolve(
            self._subacks, mid, [(rc.value, str(rc)) for rc in codes]
        )
        client.on_message = lambda c, u, msg: self._deliver(Received(msg, time.time()))
        client.on_disconnect = lambda c, u, flags, rc, p: self._on_disconnect(rc.value, str(rc))
        if self._trace is not None:
            client.on_log = lambda c, u, level, text: self._log(text)  # type: ignore[misc]
        return client

    def _on_publish(
        self, client: paho.Client, userdata: Any, mid: int, rc: Any, props: Any
    ) -> None:
        _resolve(self._acks, mid, (not rc.is_failure, str(rc)))

    def _on_connect(
        self, client: paho.Client, userdata: Any, flags: Any, rc: Any, props: Any
    ) -> None:
        self.connack, self.session_present = (rc.value, str(rc)), bool(flags.session_present)
        if not self._connected.done():
            self._connected.set_result(None)

    def _deliver(self, item: Received | None) -> None:
        """A received PUBLISH (None: the end) for ``__anext__``; a plain deque, no task switch."""
        self._incoming.append(item)
        if self._reader is not None and not self._reader.done():
            self._reader.set_result(None)

    def _deliver_incoming(self, message: Incoming, timestamp: float) -> None:
        self._deliver(Received(message, timestamp))

    def _log(self, text: str) -> None:
        """paho's log lines reach the trace on the loop's thread, also those of ``connect``."""
        assert self._trace is not None
        if threading.get_ident() == self._loop_thread:
            self._trace(text)
        else:
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is listening
                self._loop.call_soon_threadsafe(self._trace, text)

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
        self._deliver(None)


def _resolve(futures: dict[int, asyncio.Future[Any]], mid: int, value: Any) -> None:
    future = futures.get(mid)
    if future is not None and not future.done():
        future.set_result(value)


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
    if not values:
        return None  # the usual PUBLISH: building an empty Properties costs more than sending it
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
    if props is None or vars(props).keys() <= _PROPERTIES_OWN:
        return {}  # most messages carry none: skip asking for each of them
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
