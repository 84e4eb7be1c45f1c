"""GraphQL subscriptions over WebSocket (gql), on the core's stream model.

Both protocols are spoken: graphql-transport-ws (the current one) and the legacy
subscriptions-transport-ws ("graphql-ws"). Without a choice in the item, wirecall offers
the current protocol first and takes what the server picks.
"""

from __future__ import annotations

import contextlib
import json
import ssl
import time
from typing import Any

from wirecall.core.errors import ConnectError, ProtocolError, RequestTimeout
from wirecall.core.exchange import Exchange
from wirecall.core.records import Message, Response
from wirecall.core.transport_settings import proxy_for
from wirecall.plugins.graphql.request import LEGACY_WS, TRANSPORT_WS, GraphQLCall


async def subscribe(call: GraphQLCall, exchange: Exchange, tls: ssl.SSLContext) -> Response:
    from gql import GraphQLRequest
    from gql.transport.websockets import WebsocketsTransport

    url = call.subscription_url()
    connect_args: dict[str, Any] = {"proxy": proxy_for(exchange.settings, url)}
    endpoint = exchange.endpoint_for(url)
    if endpoint is not None:
        endpoint.check()
        url, connect_args = endpoint.url, {"unix": True, "path": endpoint.path}
    transport = WebsocketsTransport(
        url=url,
        headers=dict(call.headers),
        ssl=tls if url.startswith("wss:") else False,
        init_payload=call.init_payload or {},
        subprotocols=[call.ws_protocol] if call.ws_protocol else [TRANSPORT_WS, LEGACY_WS],
        connect_args=connect_args,
    )
    request = GraphQLRequest(call.query, variable_values=call.variables, operation_name=call.operation_name)
    started = time.perf_counter()
    errors: list[Any] = []
    try:
        with _map_errors(url):
            await transport.connect()
        async with exchange.streaming():
            with _map_errors(url):
                async for result in exchange.until_stopped(_results(transport.subscribe(request), errors)):
                    event = {"data": result.data, **({"errors": result.errors} if result.errors else {})}
                    errors.extend(result.errors or [])
                    fields = {"errors": result.errors} if result.errors else {}
                    if not await exchange.receive(Message("received", json.dumps(event), type="json", fields=fields)):
                        break
                else:
                    exchange.stop(exchange.stop_reason or "completed by the server")
    finally:
        await _close(transport)
    return Response(
        protocol="graphql",
        code=101,
        status=exchange.stop_reason or "completed",
        messages=exchange.messages,
        response_time_ms=(time.perf_counter() - started) * 1000,
        url=url,
        ok=not errors,
        failure=f"GraphQL error: {errors[0].get('message')}" if errors else "",
        extra={"subprotocol": transport.subprotocol, **({"errors": errors} if errors else {})},
    )


async def _close(transport: Any) -> None:
    """Close and wait, also after a connection refused half-way (gql then closes in the
    background, and a run that ended first would leave the socket open)."""
    with contextlib.suppress(Exception):  # gql raises when it never finished connecting
        await transport.close()


async def _results(stream: Any, errors: list[Any]) -> Any:
    """The subscription's results; an error result ends it and is kept in ``errors``."""
    from gql.transport.exceptions import TransportQueryError

    try:
        async for result in stream:
            yield result
    except TransportQueryError as exc:
        errors.extend(exc.errors or [{"message": str(exc)}])


class _map_errors:  # noqa: N801 - used as a context manager like the others
    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None:
            return False
        from gql.transport.exceptions import TransportError
        from websockets.exceptions import InvalidStatus, WebSocketException

        if isinstance(exc, ConnectionRefusedError | OSError) and not isinstance(exc, TimeoutError):
            raise ConnectError(f"cannot connect to {self.url}: {exc.strerror or exc}", protocol="graphql") from exc
        if isinstance(exc, TimeoutError):
            raise RequestTimeout(f"no answer from {self.url} in time", protocol="graphql") from exc
        if isinstance(exc, InvalidStatus):
            status = exc.response.status_code
            raise ProtocolError(f"WebSocket handshake refused with HTTP {status}", protocol="graphql", status=status) from exc
        if isinstance(exc, TransportError | WebSocketException):
            raise ProtocolError(f"subscription failed: {_reason(exc)}", protocol="graphql") from exc
        return False


def _reason(exc: BaseException) -> str:
    """The close code and reason when the server closed the socket, else the error text."""
    from websockets.exceptions import ConnectionClosed

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ConnectionClosed):
        cause = cause.__cause__ or cause.__context__
    if cause is not None and cause.rcvd is not None:
        return f"server closed the connection with code {cause.rcvd.code}" + (f": {cause.rcvd.reason}" if cause.rcvd.reason else "")
    return (str(exc) or type(exc).__name__).replace("\n", " ")
