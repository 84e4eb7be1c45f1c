"""``wirecall graphql URL -q QUERY`` and ``wirecall graphql schema URL``."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import click
from wirecall.core.errors import Location, StatusError, UsageError
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Message, Response


class _QueryByDefault(click.Group):
    """``wirecall graphql URL ...`` means ``wirecall graphql query URL ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["query", *args]
        return super().parse_args(ctx, args)


@click.group("graphql", cls=_QueryByDefault)
def graphql() -> None:
    """Run GraphQL queries, mutations and subscriptions; print a server's schema."""


@graphql.command("query")
@click.argument("url")
@click.option("-q", "--query", "query", required=True, help="The query text, or @FILE.graphql.")
@click.option("-v", "--variables", default=None, help="Variables as a JSON object, or @FILE.json.")
@click.option("--operation", help="Operation to run when the query has several.")
@click.option("-H", "--header", "headers", multiple=True, help="HTTP header 'Name: value' (repeatable).")
@click.option("-X", "--method", type=click.Choice(["POST", "GET"]), default="POST", show_default=True)
@click.option("-F", "--file", "files", multiple=True, help="Upload: VARIABLE_PATH=FILE, e.g. variables.file=a.png.")
@click.option("--no-validate", is_flag=True, help="Do not check the query against the schema first.")
@click.option("--ws-protocol", type=click.Choice(["graphql-transport-ws", "graphql-ws"]), help="Subscription protocol (default: negotiated).")
@click.option("-C", "--count", type=int, help="Subscriptions: stop after N events.")
@click.option("--timeout", type=float, help="Seconds before giving up (subscriptions: total time).")
@click.option("-k", "--insecure", is_flag=True, help="Do not verify TLS certificates.")
def query(url: str, query: str, variables: str | None, operation: str | None, headers: tuple[str, ...], method: str,
          files: tuple[str, ...], no_validate: bool, ws_protocol: str | None, count: int | None,
          timeout: float | None, insecure: bool) -> None:  # fmt: skip
    """Send a query or mutation and print the JSON response; stream a subscription's events."""
    request: dict[str, Any] = {
        "url": url, "method": method, "query": _text_arg(query), "variables": _json_arg(variables),
        "operationName": operation, "header": [_header(h) for h in headers], "validate": not no_validate,
        "files": dict(_upload(f) for f in files),
        "until": {"messages": count, "timeoutMs": timeout * 1000 if timeout else None, "idleMs": None},
    }  # fmt: skip
    if ws_protocol:
        request["subscription"] = {"protocol": ws_protocol}
    response = asyncio.run(_send(request, Settings(verify_tls=not insecure)))
    if not response.messages:
        click.echo(json.dumps(response.json(), indent=2))
    _report_errors(response)


async def _send(request: dict[str, Any], settings: Settings) -> Response:
    from wirecall.core.streams import StreamSpec
    from wirecall.plugins.graphql.handler import GraphQLHandler

    async def show(message: Message) -> bool:
        click.echo(message.text())
        return True

    async with GraphQLHandler() as handler:
        at = Location("<command line>")
        parsed = handler.parse(request, at)
        exchange = Exchange(settings=settings, stream=StreamSpec.from_request(request, at), on_message=show)
        return await handler.send(parsed, exchange)


def _report_errors(response: Response) -> None:
    errors = response.extra.get("errors") or []
    for error in errors:
        where = ".".join(map(str, error.get("path") or []))
        at = "; ".join(f"line {loc['line']}, column {loc['column']}" for loc in error.get("locations") or [])
        details = ", ".join(part for part in (f"path {where}" if where else "", at) if part)
        click.echo(f"GraphQL error: {error.get('message')}" + (f" ({details})" if details else ""), err=True)
    if errors:
        raise StatusError(f"the server answered with {len(errors)} GraphQL error(s)", protocol="graphql")
    if response.code is not None and response.code >= 400:
        raise StatusError(f"HTTP {response.code} {response.status}", protocol="graphql", status=response.code)


@graphql.command("schema")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print the introspection result instead of SDL.")
@click.option("-H", "--header", "headers", multiple=True, help="HTTP header 'Name: value' (repeatable).")
@click.option("-k", "--insecure", is_flag=True, help="Do not verify TLS certificates.")
def schema(url: str, as_json: bool, headers: tuple[str, ...], insecure: bool) -> None:
    """Print the server's schema as SDL (by introspection)."""
    from wirecall.plugins.graphql.handler import GraphQLHandler
    from wirecall.plugins.graphql.schema import sdl

    async def fetch() -> Any:
        async with GraphQLHandler() as handler:
            parsed = handler.parse({"url": url, "query": "{ __typename }", "header": [_header(h) for h in headers]}, Location("<command line>"))
            return await handler.schema(parsed.call, Exchange(settings=Settings(verify_tls=not insecure)))

    found = asyncio.run(fetch())
    if found is None:
        raise StatusError(f"{url} does not answer introspection queries", protocol="graphql")
    if as_json:
        from graphql import introspection_from_schema

        click.echo(json.dumps(introspection_from_schema(found), indent=2))
    else:
        click.echo(sdl(found))


def _text_arg(text: str) -> str:
    if not text.startswith("@"):
        return text
    try:
        with open(text[1:], encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise UsageError(f"{text}: {exc.strerror}") from exc


def _json_arg(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(_text_arg(text))
    except json.JSONDecodeError as exc:
        raise UsageError(f"-v: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc


def _header(text: str) -> dict[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"-H {text!r}: expected 'Name: value'")
    return {"key": name.strip(), "value": value.strip()}


def _upload(text: str) -> tuple[str, str]:
    path, sep, file = text.partition("=")
    if not sep:
        raise UsageError(f"-F {text!r}: expected VARIABLE_PATH=FILE")
    return path, file
