"""The shared stream model: what to send (with delays), and when to stop listening.

Every message-based protocol reads the same two keys of an item's ``request``:

    "messages": [{"data": "hi", "delayMs": 100, ...protocol fields}, ...]
    "until": {"messages": 3, "idleMs": 500, "timeoutMs": 5000, "match": "regex", "event": "name",
              "topic": "sensors/+/temp"}

``until.messages`` counts received messages; ``match`` stops after the first received
message whose text matches the regular expression; ``event`` after the first received message
whose ``fields["event"]`` equals it (Socket.IO events and acks); ``topic`` after the first
received message whose ``fields["topic"]`` matches that MQTT-style filter (``+`` one level,
``#`` the rest: MQTT messages); a ``message`` script may also close the
stream. Without ``until`` a stream stops once it has sent everything and was idle for
``DEFAULT_IDLE_MS`` (or when the peer closes it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wirecall.core.errors import CollectionError, Location
from wirecall.core.records import Message

DEFAULT_IDLE_MS = 1000.0
DEFAULT_TIMEOUT_MS = 30000.0


@dataclass(frozen=True)
class Outgoing:
    """One message to send: ``data`` as given in the item, plus the protocol's own fields."""

    data: Any
    delay_ms: float = 0.0
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StopCondition:
    """When a stream ends; None disables a condition."""

    messages: int | None = None
    idle_ms: float | None = DEFAULT_IDLE_MS
    timeout_ms: float | None = DEFAULT_TIMEOUT_MS
    match: re.Pattern[str] | None = None
    event: str | None = None
    topic: str | None = None

    def reached(self, received: int, message: Message) -> str | None:
        """The reason to stop after ``message``, the ``received``-th one, or None to go on."""
        if self.messages is not None and received >= self.messages:
            return f"received {received} message(s)"
        if self.match is not None and self.match.search(message.text()):
            return f"message matched {self.match.pattern!r}"
        if self.event is not None and message.fields.get("event") == self.event:
            return f"received event {self.event!r}"
        if self.topic:
            topic = message.fields.get("topic")
            if isinstance(topic, str) and topic_matches(self.topic, topic):
                return f"received a message on {topic!r} (matches {self.topic!r})"
        return None


DEFAULT_UNTIL = StopCondition()


@dataclass(frozen=True)
class StreamSpec:
    outgoing: tuple[Outgoing, ...] = ()
    until: StopCondition = DEFAULT_UNTIL

    @classmethod
    def from_request(cls, raw: Mapping[str, Any], at: Location) -> StreamSpec:
        """Read ``messages`` and ``until`` from an item's request object (once per item:
        JSON paths are built only for an error)."""
        messages, until = raw.get("messages") or [], raw.get("until")
        if not isinstance(messages, list):
            raise CollectionError("expected a list of messages", at.child("messages"))
        outgoing = tuple(_outgoing(m, at, i) for i, m in enumerate(messages))
        return cls(outgoing, _until(until, at) if until else DEFAULT_UNTIL)


def _outgoing(raw: Any, at: Location, index: int) -> Outgoing:
    """Message ``index`` of the request's ``messages``."""
    if not isinstance(raw, Mapping):
        return Outgoing(data=raw)
    if len(raw) == 1 and "data" in raw:  # the usual message: nothing else to read
        return Outgoing(raw["data"])
    rest = {k: v for k, v in raw.items() if k not in ("data", "delayMs", "delay")}
    delay = raw.get("delayMs", raw.get("delay", 0))
    if not isinstance(delay, (int, float)) or delay < 0:
        raise CollectionError(
            "expected delayMs to be a number of milliseconds >= 0",
            at.child("messages").child(index),
        )
    return Outgoing(data=raw.get("data"), delay_ms=float(delay), fields=rest)


def _until(raw: Any, request_at: Location) -> StopCondition:
    at = request_at.child("until")
    if not isinstance(raw, Mapping):
        raise CollectionError(
            "expected an object with messages, idleMs, timeoutMs, match, event or topic", at
        )
    for key in ("messages", "idleMs", "timeoutMs"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, (int, float)) or value < 0):
            raise CollectionError(f"expected {key} to be a number >= 0", at.child(key))
    try:
        match = re.compile(raw["match"]) if raw.get("match") else None
    except re.error as exc:
        raise CollectionError(f"invalid regular expression: {exc}", at.child("match")) from exc
    event = raw.get("event")
    if event is not None and (not isinstance(event, str) or not event):
        raise CollectionError("expected event to be an event name", at.child("event"))
    topic = raw.get("topic")
    if topic is not None and (not isinstance(topic, str) or not topic):
        raise CollectionError("expected topic to be a topic filter", at.child("topic"))
    return StopCondition(
        messages=raw.get("messages"),
        idle_ms=raw.get("idleMs", DEFAULT_IDLE_MS),
        timeout_ms=raw.get("timeoutMs", DEFAULT_TIMEOUT_MS),
        match=match,
        event=event,
        topic=topic,
    )


def topic_matches(topic_filter: str, topic: str) -> bool:
    """MQTT filter matching: ``+`` is one level, a final ``#`` the parent level and all below."""
    wanted, levels = topic_filter.split("/"), topic.split("/")
    if topic.startswith("$") and wanted[0] in ("+", "#"):
        return False  # wildcards never match $SYS-style topics at the first level
    for i, part in enumerate(wanted):
        if part == "#":
            return True
        if i >= len(levels) or part not in ("+", levels[i]):
            return False
    return len(levels) == len(wanted)


def monotonic_ms() -> float:
    return time.monotonic() * 1000.0
