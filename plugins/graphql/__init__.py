"""GraphQL queries, mutations and subscriptions; also runs Postman's graphql-body HTTP items."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wirecall.core.demo import DemoServer
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol


@hookimpl
def wirecall_protocols() -> Iterable[LazyProtocol]:
    return [LazyProtocol("graphql", "wirecall.plugins.graphql.handler:GraphQLHandler")]


@hookimpl
def wirecall_protocol_for(item: Mapping[str, Any]) -> str | None:
    """Claim HTTP items whose body mode is ``graphql`` (Postman's GraphQL requests)."""
    request = item.get("request")
    body = request.get("body") if isinstance(request, Mapping) else None
    if item.get("protocol", "http") == "http" and isinstance(body, Mapping) and body.get("mode") == "graphql":
        return "graphql"
    return None


@hookimpl
def wirecall_commands() -> Iterable[Any]:
    from wirecall.plugins.graphql.command import graphql

    return [graphql]


@hookimpl
def wirecall_demo_servers() -> Iterable[DemoServer]:
    return [DemoServer("graphql", "wirecall.plugins.graphql.demo_server", "GraphQL with subscriptions (strawberry)")]
