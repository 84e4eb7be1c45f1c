"""GraphQLHandler: queries and mutations over HTTP, subscriptions over WebSocket.

One httpx client per run; the schema of each endpoint is introspected once per run and
used to validate queries before they are sent (``"validate": false`` skips it). A
response with an ``errors`` array is a failed item, with the errors shown apart from
transport failures.
"""

from __future__ import annotations

import http
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.httpx_errors import map_httpx_errors
from wirecall.core.protocol import ProtocolHandler
from wirecall.core.records import Response
from wirecall.core.tls import client_context, host_tls
from wirecall.core.transport_settings import proxy_for
from wirecall.plugins.graphql.request import GraphQLCall, parse_call


@dataclass(frozen=True)
class ParsedCall:
    call: GraphQLCall
    document: Any  # graphql-core's DocumentNode
    kind: str  # query | mutation | subscription
    query_at: Location  # where the query is in the collection, for validation errors


class GraphQLHandler(ProtocolHandler):
    name = "graphql"
    schemes = ("http", "https", "ws", "wss")
    streaming = True  # subscriptions; queries ignore the stream settings

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}
        self._schemas: dict[str, Any] = {}

    def parse(self, raw: Mapping[str, Any], at: Location) -> ParsedCall:
        from wirecall.plugins.graphql.schema import operation_type, parse_query

        call = parse_call(raw, at)
        query_at = at.child("body").child("graphql").child("query") if "body" in raw else at.child("query")
        document = parse_query(call.query, query_at)
        return ParsedCall(call, document, operation_type(document, call.operation_name), query_at)

    def describe(self, parsed: ParsedCall) -> dict[str, Any]:
        call = parsed.call
        return {"method": call.method, "url": call.url, "header": [{"key": k, "value": v} for k, v in call.headers],
                "body": {"mode": "graphql", "graphql": call.payload()}}  # fmt: skip

    def auth_target(self, parsed: ParsedCall) -> Any:
        return parsed.call.target

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    async def send(self, parsed: ParsedCall, exchange: Exchange) -> Response:
        call = parsed.call
        if call.validate:
            schema = await self.schema(call, exchange)
            if schema is not None:
                from wirecall.plugins.graphql.schema import check_query

                check_query(schema, parsed.document, parsed.query_at)
        if parsed.kind == "subscription":
            from wirecall.plugins.graphql.subscriptions import subscribe

            tls = client_context(exchange.settings, call.tls, host=call.subscription_url())
            return await subscribe(call, exchange, tls)
        return await self.post(call, exchange)

    def _route(self, url: str, exchange: Exchange) -> tuple[str, str | None]:
        """The URL to put on the wire and the Unix socket to send it through, if any."""
        endpoint = exchange.endpoint_for(url)
        if endpoint is None:
            return url, None
        endpoint.check()
        return endpoint.url, endpoint.path

    async def schema(self, call: GraphQLCall, exchange: Exchange) -> Any:
        """The endpoint's schema by introspection, cached for the run; None if refused."""
        if call.url not in self._schemas:
            from wirecall.plugins.graphql.schema import (
                INTROSPECTION_QUERY,
                schema_from_introspection,
            )

            url, uds = self._route(call.url, exchange)
            client = self._client(exchange.settings, call, uds)
            with map_httpx_errors("graphql", exchange.settings.timeout_request_ms, uds):
                reply = await client.post(url, json={"query": INTROSPECTION_QUERY}, headers=call.headers)
            try:
                self._schemas[call.url] = schema_from_introspection(reply.json())
            except ValueError:  # not JSON: the endpoint does not introspect
                self._schemas[call.url] = None
        return self._schemas[call.url]

    async def post(self, call: GraphQLCall, exchange: Exchange) -> Response:
        url, uds = self._route(call.url, exchange)
        client = self._client(exchange.settings, call, uds)
        started = time.perf_counter()
        with map_httpx_errors("graphql", exchange.settings.timeout_request_ms, uds):
            reply = await client.request(call.method, url, headers=_headers(call), **_body(call, exchange.settings))
        elapsed_ms = (time.perf_counter() - started) * 1000
        errors = _errors(reply.content)
        return Response(
            protocol="graphql",
            code=reply.status_code,
            status=reply.reason_phrase or _reason(reply.status_code),
            headers=list(reply.headers.multi_items()),
            body=reply.content,
            response_time_ms=elapsed_ms,
            http_version=reply.http_version,
            url=str(reply.url),
            ok=reply.status_code < 400 and not errors,
            failure=_failure_text(reply.status_code, errors),
            extra={"errors": errors} if errors else {},
        )

    def _client(self, settings: Settings, call: GraphQLCall, uds: str | None) -> Any:
        """The run's client for the call's TLS options, host certificate entry and proxy."""
        entry = host_tls(settings, call.url)
        proxy = None if uds else proxy_for(settings, call.url)
        key = json.dumps([dict(call.tls), uds, repr(entry), proxy], sort_keys=True)
        if key not in self._clients:
            import httpx

            verify = client_context(settings, call.tls, host=call.url)
            transport = httpx.AsyncHTTPTransport(uds=uds, verify=verify) if uds else None
            self._clients[key] = httpx.AsyncClient(
                verify=verify,
                transport=transport,
                proxy=proxy,
                trust_env=False,  # proxy_for has read the environment
                timeout=settings.timeout_request_ms / 1000 if settings.timeout_request_ms else None,
                follow_redirects=settings.follow_redirects,
            )
        return self._clients[key]


def _headers(call: GraphQLCall) -> list[tuple[str, str]]:
    """The item's headers, plus the JSON content type when the body is JSON and none is set."""
    json_body = call.method != "GET" and not call.files
    if json_body and not any(key.lower() == "content-type" for key, _ in call.headers):
        return [("Content-Type", "application/json"), *call.headers]
    return list(call.headers)


def _body(call: GraphQLCall, settings: Settings) -> dict[str, Any]:
    """httpx arguments for the call: JSON, GET query parameters, or a multipart upload."""
    payload = call.payload()
    if call.method == "GET":
        params = {k: json.dumps(v) if k == "variables" else v for k, v in payload.items()}
        return {"params": params}
    if not call.files:
        return {"content": call.body_bytes()}
    from wirecall.plugins.graphql.uploads import multipart

    return multipart(payload, call.files, settings.working_dir)


def _errors(content: bytes) -> list[Any]:
    try:
        document = json.loads(content)
    except ValueError:
        return []
    errors = document.get("errors") if isinstance(document, dict) else None
    return errors if isinstance(errors, list) else []


def _failure_text(code: int, errors: list[Any]) -> str:
    if errors:
        first = errors[0].get("message") if isinstance(errors[0], dict) else str(errors[0])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"GraphQL error: {first}{more}"
    return f"HTTP {code} {_reason(code)}" if code >= 400 else ""


def _reason(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""
