"""The MQTT item's request shape: validated before connecting, with no paho import.

Everything a user can get wrong (URL, version, topic names and filters, QoS, payload
encodings, v5-only options on 3.1.1) is checked here, so a bad item fails with its JSON path
before any socket opens. docs/protocols/mqtt.md documents the shape.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple, TypeVar
from urllib.parse import unquote, urlsplit

from wirecall.core.errors import AuthError, CollectionError, Location
from wirecall.core.tls import parse_tls

T = TypeVar("T")

PROTOCOL = "mqtt"
SCHEMES = ("mqtt", "mqtts", "ws", "wss")
DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883, "ws": 80, "wss": 443}
VERSIONS = {"5": 5, "5.0": 5, "mqttv5": 5, "3.1.1": 4, "311": 4, "mqttv311": 4}
ENCODINGS = ("text", "json", "hex", "base64")
MAX_TOPIC_BYTES = 65535

# item key -> (paho Properties attribute, type); the item uses these names in "properties"
PUBLISH_PROPERTIES: dict[str, tuple[str, type]] = {
    "contentType": ("ContentType", str),
    "payloadFormat": ("PayloadFormatIndicator", int),
    "messageExpiry": ("MessageExpiryInterval", int),
    "responseTopic": ("ResponseTopic", str),
    "correlationData": ("CorrelationData", str),
    "topicAlias": ("TopicAlias", int),
    "userProperties": ("UserProperty", dict),
}
WILL_PROPERTIES = {
    **{k: v for k, v in PUBLISH_PROPERTIES.items() if k != "topicAlias"},
    "willDelay": ("WillDelayInterval", int),
}
MESSAGE_KEYS = ("topic", "payload", "encoding", "file", "qos", "retain", "properties")
_MESSAGE_KEY_SET = frozenset(MESSAGE_KEYS)


@dataclass
class Publish:
    """One PUBLISH (or a will): the payload already encoded to the bytes that go on the wire."""

    topic: str
    payload: bytes = b""
    qos: int = 0
    retain: bool = False
    properties: dict[str, Any] = field(default_factory=dict)

    def data(self) -> str | bytes:
        """The payload as scripts and reports see it: text when it is UTF-8, else bytes."""
        try:
            return self.payload.decode("utf-8")
        except UnicodeDecodeError:
            return self.payload


class Checked(NamedTuple):
    """An item's message as parsed, and its Publish: sent as it is while the message's
    resolved data and fields are still these (checking it again costs more than comparing)."""

    data: Any
    fields: dict[str, Any]
    publish: Publish | None  # None for a file's payload, read only when sent


@dataclass(frozen=True)
class Subscription:
    topic: str
    qos: int = 0
    no_local: bool = False
    retain_as_published: bool = False
    retain_handling: int = 0


@dataclass
class MqttRequest:
    """A parsed item; auth schemes fill ``username``/``password``/``user_properties``."""

    url: str
    scheme: str
    host: str
    port: int
    version: int = 5  # the protocol level: 5 or 4 (3.1.1)
    ws_path: str = "/mqtt"
    unix: str | None = None
    client_id: str = ""
    clean_start: bool = True
    session_expiry: int | None = None
    keep_alive: int = 60
    username: str | None = None
    password: str | None = None
    user_properties: list[tuple[str, str]] = field(default_factory=list)
    will: Publish | None = None
    subscribe: list[Subscription] = field(default_factory=list)
    topic: str | None = None  # default topic of messages that name none
    tls: dict[str, Any] = field(default_factory=dict)
    # the item's messages as checked: (data, fields, Publish or None when it names a file)
    checked: list[Checked] = field(default_factory=list)

    @property
    def transport(self) -> str:
        if self.unix:
            return "unix"
        return "websockets" if self.scheme in ("ws", "wss") else "tcp"

    @property
    def secure(self) -> bool:
        return self.scheme in ("mqtts", "wss")


class MqttAuthTarget:
    """Where auth schemes put credentials: CONNECT's username/password, v5 user properties."""

    protocol = PROTOCOL
    method = "CONNECT"
    body = None

    def __init__(self, request: MqttRequest) -> None:
        self.request = request
        self.url = request.url

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.request.user_properties if k.lower() == name.lower()), None)

    def set_header(self, name: str, value: str) -> None:
        if self.request.version != 5:
            raise AuthError(
                f"MQTT 3.1.1 cannot carry {name!r}: headers are not supported",
                hint="use MQTT 5 (sent as a CONNECT user property) or basic auth (username/password)",
            )
        self.request.user_properties.append((name, value))

    def set_query(self, name: str, value: str) -> None:
        raise AuthError(
            f"MQTT has no query string for {name!r}: not supported", hint="use basic auth"
        )

    def set_credentials(self, username: str, password: str) -> None:
        self.request.username, self.request.password = username, password


def parse_request(raw: Mapping[str, Any], at: Location) -> MqttRequest:
    """Validate an item's ``request`` object (variables already resolved)."""
    if not isinstance(raw, Mapping):
        raise CollectionError("expected an MQTT request object with a url", at)
    request = _parse_url(raw.get("url"), at.child("url"))
    request.version = _version(raw.get("version", "5"), at.child("version"))
    v5 = request.version == 5
    request.unix = _optional(raw, "unix", str, at)
    if request.unix is not None and request.secure:
        raise CollectionError("TLS over a Unix socket is not supported", at.child("unix"))
    if request.unix is None and not request.host:
        raise CollectionError(
            f"expected a host in {request.url!r} (or a unix socket path)", at.child("url")
        )
    request.client_id = _optional(raw, "clientId", str, at) or f"wirecall-{uuid.uuid4().hex[:12]}"
    request.clean_start = _optional(raw, "cleanStart", bool, at, True)
    request.session_expiry = _optional(raw, "sessionExpiry", int, at)
    if request.session_expiry is not None and not v5:
        raise CollectionError("sessionExpiry needs MQTT 5", at.child("sessionExpiry"))
    request.keep_alive = _optional(raw, "keepAlive", int, at, 60)
    for key in ("username", "password"):
        if raw.get(key) is not None:
            setattr(request, key, _optional(raw, key, str, at))
    request.topic = raw.get("topic")
    if request.topic is not None:
        check_topic_name(request.topic, at, "topic")
    if raw.get("will") is not None:
        request.will = parse_will(raw["will"], at.child("will"), v5)
    request.subscribe = parse_subscriptions(raw.get("subscribe"), at.child("subscribe"), v5)
    request.tls = parse_tls(raw.get("tls"), at.child("tls"))
    listed = at.child("messages")
    request.checked = [
        located(partial(_check_message, message, v5, request.topic), listed, index)
        for index, message in enumerate(raw.get("messages") or [])
    ]
    return request


def located(check: Callable[[Location], T], listed: Location, index: int) -> T:
    """``check(listed)``, run again at item ``index`` of the list at ``listed`` when it
    fails, so that the error names the item: this runs per message, and a JSON path costs
    more than checking a message, so it is built only for an error."""
    try:
        return check(listed)
    except CollectionError:
        return check(listed.child(index))


def _check_message(raw: Any, v5: bool, default_topic: str | None, at: Location) -> Checked:
    data, fields = split_message(raw, at)
    publish = to_publish(data, fields, at, v5=v5, default_topic=default_topic)
    return Checked(data, fields, None if fields.get("file") is not None else publish)


def split_message(raw: Any, at: Location) -> tuple[Any, dict[str, Any]]:
    """(data, fields) of one ``messages`` entry, as core's StreamSpec splits it."""
    if not isinstance(raw, Mapping):
        return raw, {}
    if not isinstance(raw.get("delayMs", 0), (int, float)):
        raise CollectionError(
            "expected delayMs to be a number of milliseconds", at.child("delayMs")
        )
    return raw.get("data"), {k: v for k, v in raw.items() if k not in ("data", "delayMs", "delay")}


def to_publish(
    data: Any,
    fields: Mapping[str, Any],
    at: Location,
    *,
    v5: bool,
    default_topic: str | None = None,
    working_dir: str | None = None,
) -> Publish:
    """A message to send as a Publish; ``working_dir=None`` checks a ``file`` without reading it.

    Runs for every message of an item (and again for one that resolves differently when
    sent), so the JSON paths of errors are built only for an error.
    """
    if not fields.keys() <= _MESSAGE_KEY_SET:
        key = next(key for key in fields if key not in _MESSAGE_KEY_SET)
        raise CollectionError(
            f"unknown message key; expected data, delayMs, {', '.join(MESSAGE_KEYS)}",
            at.child(key),
        )
    topic = fields.get("topic", default_topic)
    if topic is None:
        raise CollectionError("expected a topic (on the message or the request)", at.child("topic"))
    check_topic_name(topic, at, "topic")
    if data is None:
        data = fields.get("payload")
    encoding = fields.get("encoding", "text")
    if encoding not in ENCODINGS:
        raise CollectionError(
            f"expected encoding to be one of {', '.join(ENCODINGS)}", at.child("encoding")
        )
    if fields.get("file") is not None:
        if data is not None:
            raise CollectionError("give either data/payload or file, not both", at.child("file"))
        payload = _read_file(fields["file"], working_dir, at.child("file"))
    else:
        payload = encode_payload(data, encoding, at, "data")
    properties = fields.get("properties")
    if properties is not None:
        properties = parse_properties(properties, at.child("properties"), v5, PUBLISH_PROPERTIES)
    return Publish(
        topic=topic,
        payload=payload,
        qos=_qos(fields.get("qos", 0), at, "qos"),
        retain=_bool(fields.get("retain", False), at, "retain"),
        properties=properties or {},
    )


def encode_payload(value: Any, encoding: str, at: Location, key: str | None = None) -> bytes:
    """The bytes of a payload given as text, JSON, hex or base64 (None is an empty payload).

    Errors name ``at``, or its ``key`` child when one is given.
    """
    if value is None:
        return b""
    if encoding == "json":
        if isinstance(value, str):
            try:
                json.loads(value)
            except ValueError as exc:
                raise CollectionError(f"payload is not valid JSON: {exc}", _child(at, key)) from exc
            return value.encode()
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    if not isinstance(value, str):
        if encoding == "text":  # objects, numbers and booleans in an item are sent as JSON text
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        raise CollectionError(f"expected the payload to be a string of {encoding}", _child(at, key))
    try:
        if encoding == "hex":
            return bytes.fromhex(value)
        if encoding == "base64":
            return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise CollectionError(f"payload is not valid {encoding}: {exc}", _child(at, key)) from exc
    return value.encode()


def parse_will(raw: Any, at: Location, v5: bool) -> Publish:
    if not isinstance(raw, Mapping):
        raise CollectionError("expected an object with topic, data, qos, retain, properties", at)
    data, fields = split_message(raw, at)
    props = fields.pop("properties", None)
    will = to_publish(data, fields, at, v5=v5)
    will.properties = parse_properties(props, at.child("properties"), v5, WILL_PROPERTIES)
    return will


def parse_subscriptions(raw: Any, at: Location, v5: bool) -> list[Subscription]:
    """``subscribe``: a list of topic filters, or of {topic, qos, noLocal, ...} objects."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CollectionError("expected a list of topic filters or subscription objects", at)
    subscriptions = []
    for index, entry in enumerate(raw):
        where = at.child(index)
        entry = {"topic": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, Mapping):
            raise CollectionError("expected a topic filter or an object with topic and qos", where)
        options = {
            k: entry[k] for k in ("noLocal", "retainAsPublished", "retainHandling") if k in entry
        }
        if options and not v5:
            raise CollectionError(
                f"{', '.join(options)} need MQTT 5", where.child(next(iter(options)))
            )
        handling = entry.get("retainHandling", 0)
        if handling not in (0, 1, 2) or isinstance(handling, bool):
            raise CollectionError(
                "expected retainHandling 0 (send), 1 (if new) or 2 (never)",
                where.child("retainHandling"),
            )
        check_topic_filter(entry.get("topic"), where.child("topic"))
        subscriptions.append(
            Subscription(
                topic=entry["topic"],
                qos=_qos(entry.get("qos", 0), where, "qos"),
                no_local=_bool(entry.get("noLocal", False), where, "noLocal"),
                retain_as_published=_bool(
                    entry.get("retainAsPublished", False), where, "retainAsPublished"
                ),
                retain_handling=handling,
            )
        )
    return subscriptions


def parse_properties(
    raw: Any, at: Location, v5: bool, allowed: Mapping[str, tuple[str, type]]
) -> dict[str, Any]:
    """v5 properties by their item names; userProperties is an object of strings."""
    if raw is None or raw == {}:
        return {}
    if not v5:
        raise CollectionError("properties need MQTT 5", at)
    if not isinstance(raw, Mapping):
        raise CollectionError(f"expected an object with {', '.join(allowed)}", at)
    for key, value in raw.items():
        if key not in allowed:
            raise CollectionError(
                f"unknown property; expected one of {', '.join(allowed)}", at.child(key)
            )
        kind = allowed[key][1]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise CollectionError(f"expected {key} to be an integer >= 0", at.child(key))
        if kind is str and not isinstance(value, str):
            raise CollectionError(f"expected {key} to be a string", at.child(key))
        if kind is dict and not (
            isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values())
        ):
            raise CollectionError(
                "expected userProperties to be an object of strings", at.child(key)
            )
    if raw.get("payloadFormat", 0) not in (0, 1):
        raise CollectionError(
            "expected payloadFormat 0 (bytes) or 1 (UTF-8)", at.child("payloadFormat")
        )
    return dict(raw)


def check_topic_name(topic: Any, at: Location, key: str | None = None) -> None:
    """A topic to publish to: non-empty, no wildcards, at most 65535 bytes (errors at ``at.key``)."""
    _check_topic_text(topic, at, key)
    if "+" in topic or "#" in topic:
        raise CollectionError(
            f"invalid topic {topic!r}: wildcards + and # are for subscriptions only",
            _child(at, key),
        )


def check_topic_filter(topic_filter: Any, at: Location) -> None:
    """A topic filter: ``+`` fills a whole level, ``#`` only the last; ``$share/group/filter``."""
    _check_topic_text(topic_filter, at)
    levels = topic_filter.split("/")
    if levels[0] == "$share":
        if len(levels) < 3 or not levels[1] or any(c in levels[1] for c in "+#"):
            raise CollectionError(
                f"invalid shared subscription {topic_filter!r}: expected $share/GROUP/FILTER", at
            )
        levels = levels[2:]
    for index, level in enumerate(levels):
        if "#" in level and (level != "#" or index != len(levels) - 1):
            raise CollectionError(
                f"invalid topic filter {topic_filter!r}: # must be the whole last level", at
            )
        if "+" in level and level != "+":
            raise CollectionError(
                f"invalid topic filter {topic_filter!r}: + must fill a whole level", at
            )


def _check_topic_text(topic: Any, at: Location, key: str | None = None) -> None:
    if not isinstance(topic, str) or not topic:
        raise CollectionError("expected a non-empty topic string", _child(at, key))
    if "\0" in topic or len(topic.encode()) > MAX_TOPIC_BYTES:
        raise CollectionError(
            f"invalid topic {topic[:40]!r}: no NUL characters, at most 65535 bytes",
            _child(at, key),
        )


def _parse_url(url: Any, at: Location) -> MqttRequest:
    if not isinstance(url, str) or not url:
        raise CollectionError("expected a URL such as mqtt://127.0.0.1:1883", at)
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise CollectionError(
            f"expected a {', '.join(s + '://' for s in SCHEMES)} URL, got {url!r}", at
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise CollectionError(f"invalid port in {url!r}", at) from exc
    request = MqttRequest(url=url, scheme=parts.scheme, host=parts.hostname or "", port=port)
    if parts.scheme in ("ws", "wss") and parts.path:
        request.ws_path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.username is not None:
        request.username = unquote(parts.username)
        request.password = unquote(parts.password) if parts.password is not None else None
    return request


def _version(value: Any, at: Location) -> int:
    version = VERSIONS.get(str(value).lower())
    if version is None:
        raise CollectionError('expected version "5" or "3.1.1"', at)
    return version


def _optional(
    raw: Mapping[str, Any], key: str, kind: type, at: Location, default: Any = None
) -> Any:
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and (isinstance(value, bool) or value < 0)):
        expected = {str: "a string", bool: "true or false", int: "an integer >= 0"}[kind]
        raise CollectionError(f"expected {key} to be {expected}", at.child(key))
    return value


def _qos(value: Any, at: Location, key: str) -> int:
    if value not in (0, 1, 2) or isinstance(value, bool):
        raise CollectionError(f"expected qos 0, 1 or 2, got {value!r}", at.child(key))
    return int(value)


def _bool(value: Any, at: Location, key: str) -> bool:
    if not isinstance(value, bool):
        raise CollectionError(f"expected true or false, got {value!r}", at.child(key))
    return value


def _child(at: Location, key: str | None) -> Location:
    """``at``'s child ``key`` (or ``at``): called only to report an error, never per message."""
    return at if key is None else at.child(key)


def _read_file(path: Any, working_dir: str | None, at: Location) -> bytes:
    if not isinstance(path, str) or not path:
        raise CollectionError("expected file to be a path", at)
    if working_dir is None:
        return b""
    try:
        with open(os.path.join(working_dir, path), "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CollectionError(
            f"cannot read payload file {path!r}: {exc.strerror or exc}", at
        ) from exc
