"""Knowing the schema: syntax checks, introspection, validation and SDL printing (graphql-core)."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    build_client_schema,
    get_introspection_query,
    parse,
    print_schema,
    validate,
)
from graphql.language import DocumentNode
from wirecall.core.errors import CollectionError, Location

INTROSPECTION_QUERY = get_introspection_query(descriptions=True)


class QueryValidationError(CollectionError):
    """The query does not fit the server's schema (named field, line and column)."""


def parse_query(query: str, at: Location) -> DocumentNode:
    try:
        return parse(query)
    except GraphQLSyntaxError as exc:
        raise CollectionError(f"GraphQL syntax error at {_where(exc)}: {exc.message}", at) from None


def operation_type(document: DocumentNode, operation_name: str | None) -> str:
    """``query``, ``mutation`` or ``subscription`` for the operation that will run."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if o.name and o.name.value == operation_name), None)
    if chosen is None and operations:
        chosen = operations[0]
    return chosen.operation.value if chosen is not None else "query"


def schema_from_introspection(result: Any) -> GraphQLSchema | None:
    """A schema from an introspection response, or None when the server refused introspection."""
    data = result.get("data") if isinstance(result, dict) else None
    if not isinstance(data, dict) or "__schema" not in data:
        return None
    return build_client_schema(data)


def check_query(schema: GraphQLSchema, document: DocumentNode, at: Location) -> None:
    errors = validate(schema, document)
    if errors:
        lines = "; ".join(f"{_where(e)}: {e.message}" for e in errors)
        raise QueryValidationError(f"query does not match the schema: {lines}", at)


def sdl(schema: GraphQLSchema) -> str:
    return print_schema(schema)


def _where(error: GraphQLError) -> str:
    if not error.locations:
        return "the query"
    location = error.locations[0]
    return f"line {location.line}, column {location.column}"
