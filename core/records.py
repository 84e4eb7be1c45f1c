"""Protocol-neutral records that every plugin hands to core: messages and responses."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

Direction = Literal["sent", "received"]


@dataclass(slots=True)
class Message:
    """One message of a stream (WebSocket, Socket.IO, MQTT, gRPC stream, subscription).

    ``data`` is ``str`` for text and ``bytes`` for binary payloads. ``fields`` holds the
    protocol's own attributes (``event``/``args`` for Socket.IO, ``topic``/``qos``/``retain``/
    ``properties`` for MQTT, ``metadata`` for gRPC) and is what scripts see on ``pm.message``.
    """

    direction: Direction
    data: str | bytes
    type: str = "text"  # text | binary | json | event | ...
    timestamp: float = field(default_factory=time.time)
    index: int = 0
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes of the payload (UTF-8 for text); counted several times per message (events,
        summary, reports), so ASCII text, the usual case, is not encoded for it."""
        data = self.data
        if isinstance(data, str):
            return len(data) if data.isascii() else len(data.encode())
        return len(data)

    def text(self) -> str:
        return self.data if isinstance(self.data, str) else self.data.decode("utf-8", "replace")

    def to_json(self) -> dict[str, Any]:
        """The shape scripts and reports see (binary data as base64)."""
        data, encoding = self.data, "utf-8"
        if isinstance(data, bytes):
            import base64  # not at import: most runs never meet a binary message

            data, encoding = base64.b64encode(data).decode(), "base64"
        out = {
            "direction": self.direction,
            "data": data,
            "encoding": encoding,
            "type": self.type,
            "timestamp": self.timestamp,
            "index": self.index,
            "size": self.size,
        }
        if self.fields:
            out.update(self.fields)
        return out


@dataclass
class Response:
    """What a protocol handler returns from ``send``.

    ``code`` is the protocol's status (HTTP status, gRPC code number, WebSocket close code);
    ``status`` its reason text. ``ok`` says whether the protocol itself considers the exchange
    successful (an HTTP 500 is ok: Newman keeps it as a plain response; a SOAP Fault, a
    GraphQL errors array or a non-OK gRPC status is not), and ``failure`` says why not, in
    the words the item's failure shows.
    """

    protocol: str
    code: int | None = None
    status: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    messages: list[Message] = field(default_factory=list)
    trailers: list[tuple[str, str]] = field(default_factory=list)
    response_time_ms: float = 0.0
    http_version: str | None = None
    url: str | None = None
    ok: bool = True
    failure: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.body) + sum(m.size for m in self.messages if m.direction == "received")

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)
