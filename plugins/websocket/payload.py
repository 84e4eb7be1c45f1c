"""Item messages -> WebSocket frames: text, JSON (validated) or binary (base64, hex or a file)."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from typing import Any

from wirecall.core.errors import CollectionError, Location
from wirecall.core.streams import Outgoing

TYPES = ("text", "json", "binary")
ENCODINGS = ("base64", "hex")


def check(message: Outgoing, at: Location, index: int) -> None:
    """Reject message ``index`` of the list at ``at`` if it could never be sent (bad type,
    JSON, base64 or hex)."""
    if message.fields.get("file") is None:
        encode(message, at, index, working_dir=".")
    else:
        _kind(message.fields, at.child(index))


def encode(message: Outgoing, listed: Location, index: int, *, working_dir: str) -> str | bytes:
    """The frame payload of message ``index`` of the list at ``listed``: ``str`` for a text
    frame, ``bytes`` for a binary one.

    Runs for every message sent, so the plain text frame is served first and the JSON path
    of an error is built only for an error.
    """
    fields = message.fields
    data = message.data
    if not fields and isinstance(data, str):
        return data  # a text message as written: nothing to check
    at = listed.child(index)
    kind = _kind(fields, at)
    if fields.get("file") is not None:
        return _read_file(str(fields["file"]), kind, at, working_dir)
    if kind == "binary":
        if not isinstance(data, str):
            raise CollectionError(
                "expected binary data as a base64 or hex string", at.child("data")
            )
        return _decode(data, fields.get("encoding", "base64"), at)
    if kind == "json":
        if isinstance(data, str):
            try:
                json.loads(data)
            except ValueError as exc:
                raise CollectionError(f"invalid JSON: {exc}", at.child("data")) from exc
            return data
        return json.dumps(data)
    return data if isinstance(data, str) else json.dumps(data)


def _kind(fields: Mapping[str, Any], at: Location) -> str:
    default = "binary" if fields.get("file") is not None or "encoding" in fields else "text"
    kind = fields.get("type", default)
    if kind not in TYPES:
        raise CollectionError(f"expected type to be one of {', '.join(TYPES)}", at.child("type"))
    encoding = fields.get("encoding", "base64")
    if encoding not in ENCODINGS:
        raise CollectionError(
            f"expected encoding to be one of {', '.join(ENCODINGS)}", at.child("encoding")
        )
    return kind


def _decode(data: str, encoding: str, at: Location) -> bytes:
    try:
        if encoding == "hex":
            return bytes.fromhex(data)
        return base64.b64decode(data, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise CollectionError(f"data is not valid {encoding}: {exc}", at.child("data")) from exc


def _read_file(path: str, kind: str, at: Location, working_dir: str) -> str | bytes:
    full = os.path.join(working_dir, path)
    try:
        with open(full, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise CollectionError(f"cannot read message file: {exc}", at.child("file")) from exc
    if kind == "binary":
        return content
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollectionError(
            f"{path} is not UTF-8 text (use type binary)", at.child("file")
        ) from exc
