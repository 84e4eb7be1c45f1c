"""An AuthTarget for requests that are a URL plus headers: WebSocket and Socket.IO handshakes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from wirecall.core.errors import AuthError, CollectionError, Location

ENDPOINT_PREFIXES = ("unix:", "npipe:")  # addresses that a wirecall_endpoints plugin resolves


@dataclass
class HandshakeTarget:
    """The handshake of a connection: auth schemes set its headers or query parameters.

    Handlers keep one in their parsed request and return it from ``auth_target``; what a scheme
    sets here is what goes on the wire when the connection opens.
    """

    protocol: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"

    @property
    def body(self) -> bytes | None:
        return None

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    def set_header(self, name: str, value: str) -> None:
        lname = name.lower()
        self.headers[:] = [(k, v) for k, v in self.headers if k.lower() != lname]
        self.headers.append((name, value))

    def set_query(self, name: str, value: str) -> None:
        parts = urlsplit(self.url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
        query.append((name, value))
        self.url = urlunsplit(parts._replace(query=urlencode(query)))

    def set_credentials(self, username: str, password: str) -> None:
        raise AuthError(
            f"{self.protocol} handshakes carry credentials in headers or the query only",
            hint="use basic, bearer or apikey auth",
        )


def parse_handshake(
    protocol: str, raw: Mapping[str, Any], at: Location, schemes: tuple[str, ...]
) -> HandshakeTarget:
    """Read ``url`` (one of ``schemes``) and ``header`` from an item's request object."""
    url = parse_url(raw.get("url"), at.child("url"), schemes)
    return HandshakeTarget(protocol, url, parse_headers(raw.get("header"), at.child("header")))


def parse_url(value: Any, at: Location, schemes: tuple[str, ...]) -> str:
    """A URL with one of ``schemes``, or an endpoint address (``unix:...``) left to plugins."""
    if not isinstance(value, str) or not value:
        raise CollectionError("expected a URL", at)
    if value.startswith(ENDPOINT_PREFIXES):
        return value
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        raise CollectionError(
            f"invalid URL {value!r}: expected {' or '.join(s + '://' for s in schemes)}host/path",
            at,
        )
    return value


def parse_headers(raw: Any, at: Location) -> list[tuple[str, str]]:
    """Postman's ``[{key, value, disabled}]`` list, or a plain object."""
    if raw is None:
        return []
    if isinstance(raw, Mapping):
        return [(str(k), str(v)) for k, v in raw.items()]
    if not isinstance(raw, list):
        raise CollectionError("expected a list of {key, value} objects", at)
    headers = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("key"), str):
            raise CollectionError("expected an object with key and value", at.child(index))
        if not entry.get("disabled"):
            headers.append((entry["key"], str(entry.get("value", ""))))
    return headers
