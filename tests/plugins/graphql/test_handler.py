"""GraphQL through the handler against a real strawberry server."""

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from wirecall.core.errors import CollectionError, Location, ProtocolError
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.plugins import PluginHost
from wirecall.core.records import Message, Response
from wirecall.core.streams import StreamSpec
from wirecall.plugins.graphql.handler import GraphQLHandler
from wirecall.plugins.graphql.schema import QueryValidationError

AT = Location("c.json", "$.item[0].request")


def send(raw: dict[str, Any], on_message: Any = None, settings: Settings | None = None) -> Response:
    async def run() -> Response:
        async with GraphQLHandler() as handler:
            parsed = handler.parse(raw, AT)
            exchange = Exchange(stream=StreamSpec.from_request(raw, AT), settings=settings,
                                **({"on_message": on_message} if on_message else {}))  # fmt: skip
            return await handler.send(parsed, exchange)

    return asyncio.run(run())


def test_query_with_variables_and_operation_name(graphql_server: str) -> None:
    response = send({"url": graphql_server, "query": "query A { books { id } } query B($n: String!) { hello(name: $n) }",
                     "variables": '{"n": "Ada"}', "operationName": "B"})  # fmt: skip
    assert (response.code, response.ok, response.json()) == (200, True, {"data": {"hello": "Hello, Ada!"}})


def test_mutation_and_get(graphql_server: str) -> None:
    added = send({"url": graphql_server, "query": 'mutation { addBook(title: "Ulysses", author: "Joyce") { id title } }'})
    assert added.json() == {"data": {"addBook": {"id": 3, "title": "Ulysses"}}}
    got = send({"url": graphql_server, "method": "GET", "query": "{ book(id: 2) { title } }"})
    assert got.json() == {"data": {"book": {"title": "Emma"}}}


def test_postman_graphql_body_items_are_claimed_and_run() -> None:
    item = {"name": "q", "request": {"method": "POST", "url": {"raw": "http://x/graphql"},
                                     "body": {"mode": "graphql", "graphql": {"query": "{ hello }", "variables": ""}}}}  # fmt: skip
    assert PluginHost().protocol_for(item) == "graphql"
    assert PluginHost().protocol_for({**item, "request": {"url": "http://x"}}) == "http"


def test_postman_shape_sends_the_same_request(graphql_server: str) -> None:
    raw = {"method": "POST", "url": {"raw": graphql_server}, "header": [{"key": "X-Trace", "value": "1"}],
           "body": {"mode": "graphql", "graphql": {"query": "query($n: String!) { hello(name: $n) }", "variables": "{\"n\": \"Bo\"}"}}}  # fmt: skip
    assert send(raw).json() == {"data": {"hello": "Hello, Bo!"}}


def test_graphql_errors_fail_the_item_and_are_kept_apart(graphql_server: str) -> None:
    response = send({"url": graphql_server, "query": "{ boom }"})
    assert response.code == 200 and response.ok is False
    assert response.extra["errors"] == [{"message": "boom failed", "locations": [{"line": 1, "column": 3}], "path": ["boom"]}]


def test_upload_follows_the_multipart_spec(graphql_server: str, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("hi there")
    response = send({"url": graphql_server, "query": "mutation($f: Upload!) { upload(file: $f) }",
                     "variables": {"f": None}, "files": {"variables.f": "note.txt"}},
                    settings=Settings(working_dir=str(tmp_path)))  # fmt: skip
    assert response.json() == {"data": {"upload": "note.txt:8:hi there"}}


def test_syntax_errors_name_line_and_column_before_sending() -> None:
    with pytest.raises(CollectionError, match=r"c\.json at \$\.item\[0\]\.request\.query: GraphQL syntax error at line 2, column 1"):
        send({"url": "http://127.0.0.1:9/graphql", "query": "{ hello\n"})


def test_validation_against_the_schema_names_the_field(graphql_server: str) -> None:
    with pytest.raises(QueryValidationError, match="line 1, column 3: Cannot query field 'nope' on type 'Query'"):
        send({"url": graphql_server, "query": "{ nope }"})
    skipped = send({"url": graphql_server, "query": "{ nope }", "validate": False})
    assert skipped.code == 200 and skipped.ok is False  # the server's own error, not ours


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws", None])
def test_subscription_events_are_messages(graphql_server: str, protocol: str | None) -> None:
    raw: dict[str, Any] = {"url": graphql_server, "query": "subscription { count(to: 3) }"}
    if protocol:
        raw["subscription"] = {"protocol": protocol}
    response = send(raw)
    assert [json.loads(m.data) for m in response.messages] == [{"data": {"count": i}} for i in range(3)]
    assert response.extra["subprotocol"] == (protocol or "graphql-transport-ws")
    assert response.ok and response.status == "completed by the server"


def test_subscription_stops_when_a_condition_or_a_script_says_so(graphql_server: str) -> None:
    by_count = send({"url": graphql_server, "query": "subscription { count(to: 50) }", "until": {"messages": 2}})
    assert len(by_count.messages) == 2 and by_count.status == "received 2 message(s)"

    async def close_on_first(message: Message) -> bool:
        return False

    by_script = send({"url": graphql_server, "query": "subscription { count(to: 50) }"}, on_message=close_on_first)
    assert len(by_script.messages) == 1 and by_script.status == "closed by script"


def test_subscription_errors_and_refused_connections(graphql_server: str) -> None:
    failed = send({"url": graphql_server, "query": "subscription { failAfter(n: 1) }"})
    assert failed.ok is False and failed.extra["errors"] == [{"message": "subscription failed"}]
    with pytest.raises(ProtocolError, match="server closed the connection with code 4403"):
        send({"url": graphql_server, "query": "subscription { count }", "subscription": {"initPayload": {"token": "bad"}}})
    with pytest.raises(ProtocolError, match="bad token"):
        send({"url": graphql_server, "query": "subscription { count }",
              "subscription": {"protocol": "graphql-ws", "initPayload": {"token": "bad"}}})  # fmt: skip


def test_unreachable_server_is_a_connect_error() -> None:
    with pytest.raises(ProtocolError, match="connection refused: 127.0.0.1:9"):
        send({"url": "http://127.0.0.1:9/graphql", "query": "{ hello }", "validate": False})


def test_query_and_subscription_over_a_unix_socket(graphql_uds_server: str) -> None:
    host = PluginHost()

    async def run(raw: dict[str, Any]) -> Response:
        async with GraphQLHandler() as handler:
            exchange = Exchange(stream=StreamSpec.from_request(raw, AT), endpoint_for=host.endpoint)
            return await handler.send(handler.parse(raw, AT), exchange)

    query = asyncio.run(run({"url": graphql_uds_server, "query": "{ hello }"}))
    assert query.json() == {"data": {"hello": "Hello, world!"}}
    sub = asyncio.run(run({"url": graphql_uds_server, "query": "subscription { count(to: 2) }"}))
    assert [json.loads(m.data) for m in sub.messages] == [{"data": {"count": 0}}, {"data": {"count": 1}}]
