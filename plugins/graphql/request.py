"""GraphQL requests from collection items: Postman's ``body.mode: "graphql"`` HTTP items
and ``"protocol": "graphql"`` items.

    {
      "url": "http://host/graphql",            (ws:// or wss:// is derived for subscriptions)
      "method": "POST" | "GET",
      "header": [{"key": "X-Trace", "value": "1"}],
      "query": "query Hello($n: String) { hello(name: $n) }",
      "variables": {"n": "Ada"},                (an object, or JSON text as Postman stores it)
      "operationName": "Hello",
      "files": {"variables.file": "path/to/upload.txt"},   (GraphQL multipart request spec)
      "subscription": {"protocol": "graphql-transport-ws" | "graphql-ws", "url": "ws://...",
                       "initPayload": {...}},
      "validate": true,                         (check the query against the schema first)
      "messages"/"until": stream stop conditions for subscriptions (see the stream model)
    }

A Postman item keeps its usual shape; its ``body.graphql`` gives query, variables and
operationName.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wirecall.core.auth.handshake import HandshakeTarget, parse_headers
from wirecall.core.errors import CollectionError, Location

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"


@dataclass(frozen=True)
class GraphQLCall:
    """``target`` holds the URL and headers, where auth schemes add credentials."""

    target: HandshakeTarget
    query: str
    variables: dict[str, Any] | None = None
    variables_text: str | None = None  # as written in the item: sent verbatim, as Newman does
    operation_name: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    ws_protocol: str | None = None  # None: offer graphql-transport-ws, then graphql-ws
    ws_url: str | None = None
    init_payload: dict[str, Any] | None = None
    validate: bool = True
    tls: Mapping[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.target.url

    @property
    def method(self) -> str:
        return self.target.method

    @property
    def headers(self) -> list[tuple[str, str]]:
        return self.target.headers

    def body_bytes(self) -> bytes:
        """The POST body: compact JSON with the item's own variables text, byte for byte as Newman."""
        parts = [f'"query":{json.dumps(self.query, ensure_ascii=False)}']
        if self.operation_name:
            parts.append(f'"operationName":{json.dumps(self.operation_name, ensure_ascii=False)}')
        if self.variables is not None:
            text = self.variables_text or json.dumps(self.variables, ensure_ascii=False, separators=(",", ":"))
            parts.append(f'"variables":{text}')
        return ("{" + ",".join(parts) + "}").encode()

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"query": self.query}
        if self.operation_name:
            body["operationName"] = self.operation_name
        if self.variables is not None:
            body["variables"] = self.variables
        return body

    def subscription_url(self) -> str:
        if self.ws_url:
            return self.ws_url
        scheme, sep, rest = self.url.partition("://")
        return {"http": "ws", "https": "wss"}.get(scheme, scheme) + sep + rest


def parse_call(raw: Mapping[str, Any], at: Location) -> GraphQLCall:
    body = raw.get("body")
    if isinstance(body, Mapping) and body.get("mode") == "graphql":
        source, source_at = body.get("graphql") or {}, at.child("body").child("graphql")
    else:
        source, source_at = raw, at
    if not isinstance(source, Mapping):
        raise CollectionError("expected an object with query, variables and operationName", source_at)
    query = source.get("query")
    if not isinstance(query, str) or not query.strip():
        raise CollectionError("expected a GraphQL query string", source_at.child("query"))
    sub = raw.get("subscription") or {}
    if not isinstance(sub, Mapping) or sub.get("protocol") not in (None, TRANSPORT_WS, LEGACY_WS):
        raise CollectionError(f'expected "protocol": "{TRANSPORT_WS}" or "{LEGACY_WS}"', at.child("subscription"))
    method = str(raw.get("method") or "POST").upper()
    headers = parse_headers(raw.get("header"), at.child("header"))
    return GraphQLCall(
        target=HandshakeTarget("graphql", _url(raw.get("url"), at.child("url")), headers, method),
        query=query,
        variables=_variables(source.get("variables"), source_at.child("variables")),
        variables_text=source["variables"] if isinstance(source.get("variables"), str) and source["variables"].strip() else None,
        operation_name=source.get("operationName") or None,
        files=dict(raw.get("files") or {}),
        ws_protocol=sub.get("protocol"),
        ws_url=sub.get("url"),
        init_payload=sub.get("initPayload"),
        validate=raw.get("validate", True) is not False,
        tls=dict(raw.get("tls") or {}),
    )


def _url(raw: Any, at: Location) -> str:
    if isinstance(raw, Mapping):  # Postman's URL object always carries its text as "raw"
        raw = raw.get("raw")
    if not isinstance(raw, str) or not raw.strip():
        raise CollectionError("expected the GraphQL endpoint URL", at)
    return raw.strip() if "://" in raw else "http://" + raw.strip()


def _variables(raw: Any, at: Location) -> dict[str, Any] | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CollectionError(f"variables are not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", at) from None
    if not isinstance(raw, Mapping):
        raise CollectionError("expected the variables as a JSON object", at)
    return dict(raw)
