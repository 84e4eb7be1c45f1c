"""The ``request`` object of a ``"protocol": "grpc"`` item, validated into a GrpcRequest.

{"url": "grpc://127.0.0.1:50051",           grpc:// plaintext, grpcs:// TLS, unix:/path
 "methodPath": "routeguide.v1.RouteGuide/GetFeature",   ("method" is accepted too)
 "messages": [{"data": {...}}, ...],          core/streams.py; data is an object or JSON text
 "metadata": [{"key": "x-id", "value": "1"}], or {"x-id": "1"}; "-bin" keys take base64
 "descriptors": {"reflection": true} | {"protoFiles": [...], "importPaths": [...]}
                | {"protoset": "file"},      default: reflection
 "deadlineMs": 2000, "authority": "api.example.com",
 "tls": {"ca": "ca.pem", "cert": "c.pem", "key": "k.pem", "passphrase": "...",
         "insecure": false, "serverName": "api.example.com"},
 "maxReceiveMessageBytes": 4194304, "maxSendMessageBytes": 4194304,
 "compression": "gzip", "keepaliveMs": 10000, "emitDefaults": false,
 "halfClose": true, "until": {...}}          core/streams.py

``messages`` and ``until`` are the stream's: the runner reads and checks them with
``StreamSpec.from_request``, so they are not checked here a second time.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from wirecall.core.errors import CollectionError, Location

COMPRESSIONS = ("gzip", "deflate", "none")
# isinstance tries dict first, which spares the common case Mapping's (Python-level) ABC check
_OBJECT = (dict, Mapping)
_KNOWN_KEYS = {
    "url",
    "methodPath",
    "method",
    "messages",
    "metadata",
    "descriptors",
    "deadlineMs",
    "authority",
    "tls",
    "maxReceiveMessageBytes",
    "maxSendMessageBytes",
    "compression",
    "keepaliveMs",
    "emitDefaults",
    "halfClose",
    "until",
    "description",
    "auth",
}


@dataclass(frozen=True)
class Tls:
    ca: str | None = None
    cert: str | None = None
    key: str | None = None
    insecure: bool = False
    server_name: str | None = None
    passphrase: str | None = None  # of an encrypted ``key``


class Descriptors(NamedTuple):
    """Where the service definitions come from: "reflection", "proto" or "protoset"."""

    kind: str = "reflection"
    proto_files: tuple[str, ...] = ()
    import_paths: tuple[str, ...] = ()
    protoset: str | None = None


REFLECTION = Descriptors()


class Transport(NamedTuple):
    """The channel settings a request gives besides its URL. Most requests give none and
    share one of two values (plaintext, or TLS for grpcs://)."""

    tls: Tls | None = None
    authority: str | None = None
    max_receive_bytes: int | None = None
    max_send_bytes: int | None = None
    keepalive_ms: int | None = None
    compression: str | None = None


PLAINTEXT = Transport()
_TLS = Transport(Tls())
_TRANSPORT_KEYS = frozenset(
    ("tls", "authority", "maxReceiveMessageBytes", "maxSendMessageBytes", "keepaliveMs")
)


@dataclass
class GrpcRequest:
    url: str
    method: str
    metadata: list[tuple[str, str | bytes]] = field(default_factory=list)
    descriptors: Descriptors = REFLECTION
    deadline_ms: float | None = None
    transport: Transport = PLAINTEXT
    emit_defaults: bool = False
    half_close: bool = True
    idle_given: bool = False  # until.idleMs set explicitly (otherwise the server ends streams)
    messages: list[Any] = field(default_factory=list)  # as the item gives them (for pm.request)
    at: Location = field(default_factory=Location)


def metadata_text(metadata: Sequence[tuple[str, str | bytes]] | None) -> list[tuple[str, str]]:
    """Metadata as text pairs; binary (``-bin``) values as base64, as grpcurl shows them."""
    if not metadata:  # most calls get none (grpc's Metadata is empty, or None)
        return []
    return [(k, base64.b64encode(v).decode() if isinstance(v, bytes) else v) for k, v in metadata]


def metadata_pair(key: str, value: Any, at: Location) -> tuple[str, str | bytes]:
    """A metadata entry with gRPC's rules: lower-case keys, ``-bin`` values given as base64."""
    key = str(key).strip().lower()
    if not key or key.startswith((":", "grpc-")):
        raise CollectionError(f"{key!r} cannot be sent as metadata (reserved or empty key)", at)
    text = str(value)
    if not key.endswith("-bin"):
        return key, text
    try:
        return key, base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CollectionError(
            f"metadata {key} ends in -bin, so its value must be base64", at
        ) from exc


def _metadata(raw: Any, request_at: Location) -> list[tuple[str, str | bytes]]:
    if raw is None:
        return []
    at = request_at.child("metadata")
    if isinstance(raw, Mapping):
        return [metadata_pair(k, v, at.child(k)) for k, v in raw.items()]
    if not isinstance(raw, list):
        raise CollectionError("expected a list of {key, value} objects or an object", at)
    pairs = []
    for index, entry in enumerate(raw):
        where = at.child(index)
        if not isinstance(entry, Mapping) or "key" not in entry:
            raise CollectionError("expected an object with key and value", where)
        if not entry.get("disabled"):
            pairs.append(metadata_pair(entry["key"], entry.get("value", ""), where))
    return pairs


def _strings(raw: Any, at: Location) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise CollectionError("expected a list of file names", at)
    return tuple(raw)


def _descriptors(raw: Any, request_at: Location) -> Descriptors:
    if raw is None:
        return REFLECTION
    at = request_at.child("descriptors")
    if not isinstance(raw, Mapping):
        raise CollectionError(
            'expected {"reflection": true}, {"protoFiles": [...]} or {"protoset": ...}', at
        )
    if raw.get("protoset"):
        return Descriptors("protoset", protoset=str(raw["protoset"]))
    if raw.get("protoFiles"):
        return Descriptors(
            "proto",
            _strings(raw["protoFiles"], at.child("protoFiles")),
            _strings(raw.get("importPaths") or [], at.child("importPaths")),
        )
    if raw.get("reflection", True) is not True:
        raise CollectionError("without reflection, give protoFiles or protoset", at)
    return REFLECTION


def _tls(raw: Any, url: str, request_at: Location) -> Tls | None:
    if raw in (None, False):
        return Tls() if url.startswith("grpcs://") else None
    if raw is True:
        return Tls()
    at = request_at.child("tls")
    if not isinstance(raw, Mapping):
        raise CollectionError(
            "expected true or an object with ca, cert, key, passphrase, insecure, serverName", at
        )
    if raw.get("enabled") is False:
        return None
    if bool(raw.get("cert")) != bool(raw.get("key")):
        raise CollectionError("a client certificate needs both cert and key", at)
    return Tls(
        raw.get("ca"),
        raw.get("cert"),
        raw.get("key"),
        bool(raw.get("insecure")),
        raw.get("serverName"),
        raw.get("passphrase"),
    )


def _number(raw: Mapping[str, Any], key: str, at: Location) -> Any:
    value = raw.get(key)
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
    ):
        raise CollectionError(f"expected {key} to be a number >= 0", at.child(key))
    return value


def _transport(
    raw: Mapping[str, Any], url: str, compression: str | None, at: Location
) -> Transport:
    tls = _tls(raw.get("tls"), url, at)
    if compression is None and _TRANSPORT_KEYS.isdisjoint(raw):
        return PLAINTEXT if tls is None else _TLS
    return Transport(
        tls,
        raw.get("authority") or None,
        _number(raw, "maxReceiveMessageBytes", at),
        _number(raw, "maxSendMessageBytes", at),
        _number(raw, "keepaliveMs", at),
        compression,
    )


def parse_request(raw: Mapping[str, Any], at: Location) -> GrpcRequest:
    if not isinstance(raw, _OBJECT):
        raise CollectionError("expected the gRPC request to be an object", at)
    if not _KNOWN_KEYS.issuperset(raw):
        unknown = sorted(set(raw) - _KNOWN_KEYS)
        raise CollectionError(
            f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN_KEYS))}", at
        )
    url, method = raw.get("url"), raw.get("methodPath", raw.get("method"))
    if not isinstance(url, str) or not (url := url.strip()):
        raise CollectionError("expected url, e.g. grpc://127.0.0.1:50051", at.child("url"))
    if not isinstance(method, str) or "/" not in method.strip("/"):
        key = "methodPath" if "methodPath" in raw else "method"
        raise CollectionError("expected package.Service/Method", at.child(key))
    compression = raw.get("compression")
    if compression is not None and compression not in COMPRESSIONS:
        raise CollectionError(
            f"expected compression to be one of {', '.join(COMPRESSIONS)}", at.child("compression")
        )
    until, messages = raw.get("until"), raw.get("messages")
    if not isinstance(messages, list):
        messages = []  # StreamSpec says what is wrong with it
    # positional, in the order the checks ran before (and cheaper than 11 keywords)
    return GrpcRequest(
        url,
        method.strip(),
        _metadata(raw.get("metadata"), at),
        _descriptors(raw.get("descriptors"), at),
        _number(raw, "deadlineMs", at),  # deadline_ms
        _transport(raw, url, compression, at),
        bool(raw.get("emitDefaults")),  # emit_defaults
        raw.get("halfClose", True) is not False,  # half_close
        until is not None and isinstance(until, _OBJECT) and "idleMs" in until,  # idle_given
        [m.get("data") if isinstance(m, _OBJECT) else m for m in messages],
        at,
    )


def target_of(url: str) -> str:
    """What grpc dials: ``host:port`` or ``unix:/path`` (scheme removed, default port added)."""
    if url.startswith("unix:"):
        return url  # grpc dials unix:/abs, unix:///abs and unix:relative alike
    scheme, sep, rest = url.partition("://")
    if not sep:
        rest, scheme = url, "grpc"
    rest = rest.split("/", 1)[0]
    if rest.rpartition(":")[2].isdigit() and not rest.endswith("]"):
        return rest
    return f"{rest}:{443 if scheme == 'grpcs' else 80}"
