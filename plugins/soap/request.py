"""An item's SOAP request object -> :class:`SoapCall`.

    {
      "wsdl": "http://host/service?wsdl" | "path/to/service.wsdl",
      "operation": "Add",
      "args": {"a": 1, "b": 2},
      "service": "Calculator", "port": "CalculatorSoap12",   (optional: pick a binding)
      "endpoint": "http://other-host/service",                (optional: override the address)
      "header": [{"key": "X-Trace", "value": "1"}],           (HTTP headers)
      "wsse": {"username": "ada", "password": "...", "digest": true},
      "tls": {"verify": false, "ca": "ca.pem", "cert": "...", "key": "..."}
    }
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wirecall.core.auth.handshake import parse_headers
from wirecall.core.errors import AuthError, CollectionError, Location
from wirecall.core.tls import parse_tls


@dataclass(frozen=True)
class Wsse:
    username: str
    password: str
    digest: bool = False


@dataclass(frozen=True)
class SoapCall:
    wsdl: str
    operation: str
    args: Mapping[str, Any] = field(default_factory=dict)
    service: str | None = None
    port: str | None = None
    endpoint: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    wsse: Wsse | None = None
    tls: Mapping[str, Any] = field(default_factory=dict)


def parse_call(raw: Mapping[str, Any], at: Location) -> SoapCall:
    wsdl, operation = raw.get("wsdl"), raw.get("operation")
    if not isinstance(wsdl, str) or not wsdl:
        raise CollectionError("expected the WSDL's URL or file path", at.child("wsdl"))
    if not isinstance(operation, str) or not operation:
        raise CollectionError("expected the name of an operation of the WSDL", at.child("operation"))
    args = raw.get("args") or {}
    if not isinstance(args, Mapping):
        raise CollectionError("expected the operation's arguments as an object", at.child("args"))
    for key in ("service", "port", "endpoint"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise CollectionError(f"expected {key} to be a string", at.child(key))
    return SoapCall(
        wsdl, operation, dict(args), raw.get("service"), raw.get("port"), raw.get("endpoint"),
        parse_headers(raw.get("header"), at.child("header")), _wsse(raw.get("wsse"), at.child("wsse")),
        parse_tls(raw.get("tls"), at.child("tls")),
    )  # fmt: skip


def _wsse(raw: Any, at: Location) -> Wsse | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(k), str) for k in ("username", "password")):
        raise CollectionError('expected {"username": ..., "password": ..., "digest": bool}', at)
    return Wsse(raw["username"], raw["password"], bool(raw.get("digest")))


class SoapAuthTarget:
    """Auth schemes add HTTP headers to a SOAP call (basic, bearer, apikey in a header...)."""

    protocol = "soap"
    method = "POST"

    def __init__(self, call: SoapCall) -> None:
        self.call = call

    @property
    def url(self) -> str:
        return self.call.endpoint or self.call.wsdl

    @property
    def body(self) -> bytes | None:
        return None

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.call.headers if k.lower() == name.lower()), None)

    def set_header(self, name: str, value: str) -> None:
        self.call.headers[:] = [(k, v) for k, v in self.call.headers if k.lower() != name.lower()]
        self.call.headers.append((name, value))

    def set_query(self, name: str, value: str) -> None:
        raise AuthError("SOAP calls take credentials in HTTP headers or WS-Security, not the query")

    def set_credentials(self, username: str, password: str) -> None:
        raise AuthError('use "wsse" in the SOAP request for WS-Security credentials')
