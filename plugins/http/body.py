"""Postman body modes -> the bytes on the wire and the Content-Type Postman would set.

Parsing checks the shape; files (formdata ``src``, file mode ``src``) are read by
:meth:`Body.encode`, relative to the run's working directory, which the handler only learns
from the exchange it sends with. A missing file fails the item naming the file and JSON path.
"""

from __future__ import annotations

import json
import mimetypes
import os
import secrets
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from wirecall.core.errors import CollectionError, Location
from wirecall.core.record import Record, field

# Postman's default Content-Type per raw language (options.raw.language).
RAW_CONTENT_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "text": "text/plain",
    "javascript": "application/javascript",
    "html": "text/html",
}
# Methods whose body Postman drops unless protocolProfileBehavior.disableBodyPruning is set.
PRUNED_METHODS = frozenset({"GET", "HEAD", "COPY", "PURGE", "UNLOCK"})


class FilePart(Record):
    """A file to read at send time; ``at`` is where the item names it."""

    src: str
    at: Location

    def read(self, working_dir: str) -> bytes:
        full = os.path.join(working_dir, os.path.expanduser(self.src))
        try:
            with open(full, "rb") as fh:
                return fh.read()
        except OSError as exc:
            raise CollectionError(f"cannot read file {full!r}: {exc.strerror}", self.at) from None


class FormField(Record):
    """One multipart part: text ``value`` or a ``file``."""

    name: str
    value: str = ""
    file: FilePart | None = None
    content_type: str | None = None


class Body(Record):
    """A body to send: fixed ``content`` or parts read at send time; ``view`` is for reports."""

    mode: str = "none"
    content: bytes | None = None
    content_type: str | None = None
    view: Mapping[str, Any] = field(default_factory=dict)
    fields: tuple[FormField, ...] = ()
    file: FilePart | None = None
    boundary: str = ""

    def encode(self, working_dir: str) -> bytes | None:
        """The bytes on the wire (None for no body)."""
        if self.file is not None:
            return self.file.read(working_dir)
        if self.mode != "formdata":
            return self.content
        parts = []
        for part in self.fields:
            if part.file is None:
                data, filename, ctype = part.value.encode(), None, part.content_type
            else:
                data = part.file.read(working_dir)
                filename = os.path.basename(part.file.src)
                ctype = part.content_type or _guess_type(part.file.src)
            parts.append(_part(self.boundary, part.name, data, filename, ctype))
        return b"".join(parts) + f"--{self.boundary}--\r\n".encode()


def parse_body(raw: Any, at: Location) -> Body:
    """Encode an item's ``body`` object (None or ``disabled`` means no body)."""
    if raw is None:
        return Body()
    if not isinstance(raw, Mapping):
        raise CollectionError("expected an object with a 'mode'", at)
    mode = raw.get("mode", "none")
    if raw.get("disabled") or mode in (None, "none"):
        return Body()
    encoder = _ENCODERS.get(mode)
    if encoder is None:
        raise CollectionError(
            f"unknown body mode {mode!r}; expected one of: {', '.join(['none', *_ENCODERS])}",
            at.child("mode"),
        )
    return encoder(raw, at)


def _raw(raw: Mapping[str, Any], at: Location) -> Body:
    text = raw.get("raw", "")
    if not isinstance(text, str):
        text = json.dumps(text)  # tolerate a JSON value where Postman stores its text
    options = raw.get("options") or {}
    language = ((options.get("raw") or {}) if isinstance(options, Mapping) else {}).get("language")
    content_type = RAW_CONTENT_TYPES.get(language or "text", "text/plain")
    return Body("raw", text.encode(), content_type, {"mode": "raw", "raw": text})


def _urlencoded(raw: Mapping[str, Any], at: Location) -> Body:
    entries = enabled_entries(raw.get("urlencoded"), at.child("urlencoded"))
    fields = [(key, value) for _, key, value, _ in entries]
    encoded = "&".join(f"{_form_quote(k)}={_form_quote(v)}" for k, v in fields)
    view = {"mode": "urlencoded", "urlencoded": [{"key": k, "value": v} for k, v in fields]}
    return Body("urlencoded", encoded.encode(), "application/x-www-form-urlencoded", view)


def _formdata(raw: Mapping[str, Any], at: Location) -> Body:
    boundary = "-" * 26 + "".join(secrets.choice("0123456789") for _ in range(24))
    fields: list[FormField] = []
    view: list[dict[str, Any]] = []
    where = at.child("formdata")
    for index, key, value, entry in enabled_entries(raw.get("formdata"), where):
        content_type = entry.get("contentType") or None
        if entry.get("type") == "file":
            src_at = where.child(index).child("src")
            for path in _sources(entry.get("src"), src_at):
                part = FormField(key, file=FilePart(path, src_at), content_type=content_type)
                fields.append(part)
                view.append({"key": key, "type": "file", "src": path})
        else:
            fields.append(FormField(key, value, content_type=content_type))
            view.append({"key": key, "type": "text", "value": value})
    return Body(
        "formdata",
        content_type=f"multipart/form-data; boundary={boundary}",
        view={"mode": "formdata", "formdata": view},
        fields=tuple(fields),
        boundary=boundary,
    )


def _file(raw: Mapping[str, Any], at: Location) -> Body:
    spec = raw.get("file") or {}
    where = at.child("file")
    if not isinstance(spec, Mapping):
        raise CollectionError("expected an object with 'src'", where)
    view = {"mode": "file", "file": {"src": spec.get("src")}}
    if isinstance(spec.get("src"), str) and spec["src"]:
        part = FilePart(spec["src"], where.child("src"))
        return Body("file", content_type=_guess_type(spec["src"]), view=view, file=part)  # as Newman
    if isinstance(spec.get("content"), str):
        return Body("file", spec["content"].encode(), view=view)
    raise CollectionError("file body without 'src' (the path of the file to send)", where)


def _graphql(raw: Mapping[str, Any], at: Location) -> Body:
    spec = raw.get("graphql") or {}
    where = at.child("graphql")
    if not isinstance(spec, Mapping) or not isinstance(spec.get("query", ""), str):
        raise CollectionError("expected an object with a 'query' string", where)
    variables = spec.get("variables")
    if isinstance(variables, str):
        try:
            variables = json.loads(variables) if variables.strip() else None
        except json.JSONDecodeError as exc:
            message = f"variables are not JSON: {exc}"
            raise CollectionError(message, where.child("variables")) from None
    payload: dict[str, Any] = {"query": spec.get("query", "")}
    if spec.get("operationName"):
        payload["operationName"] = spec["operationName"]
    payload["variables"] = variables if variables is not None else {}
    content = json.dumps(payload, ensure_ascii=False).encode()
    return Body("graphql", content, "application/json", {"mode": "graphql", "graphql": payload})


_ENCODERS = {
    "raw": _raw,
    "urlencoded": _urlencoded,
    "formdata": _formdata,
    "file": _file,
    "graphql": _graphql,
}


def enabled_entries(entries: Any, at: Location) -> list[tuple[int, str, str, Mapping[str, Any]]]:
    """(index, key, value, entry) of the entries not ``disabled``; value "" when absent."""
    if entries is None:
        return []
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        raise CollectionError("expected a list of {key, value} objects", at)
    out = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("key") or "", str):
            raise CollectionError("expected an object with a string 'key'", at.child(index))
        if entry.get("disabled"):
            continue
        value = entry.get("value")
        if value is not None and not isinstance(value, str):
            value = json.dumps(value)
        out.append((index, entry.get("key") or "", value or "", entry))
    return out


def _sources(src: Any, at: Location) -> list[str]:
    paths = src if isinstance(src, list) else [src]
    if not paths or not all(isinstance(p, str) and p for p in paths):
        raise CollectionError("file field without 'src' (a path or a list of paths)", at)
    return paths


def _part(boundary: str, name: str, data: bytes, filename: str | None, ctype: str | None) -> bytes:
    disposition = f'form-data; name="{_header_quote(name)}"'
    if filename is not None:
        disposition += f'; filename="{_header_quote(filename)}"'
    head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
    if ctype:
        head += f"Content-Type: {ctype}\r\n"
    return head.encode() + b"\r\n" + data + b"\r\n"


def _guess_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _header_quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _form_quote(text: str) -> str:
    """Percent-encode as Postman does for urlencoded bodies (space is %20, not +)."""
    return quote(text, safe="")
