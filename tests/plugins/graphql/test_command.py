"""``wirecall graphql`` as a user runs it."""

import json

from tests.clirun import run_cli


def test_query_prints_json(graphql_server: str) -> None:
    result = run_cli("graphql", graphql_server, "-q", "query($n: String!) { hello(name: $n) }", "-v", '{"n": "Ada"}')
    assert result.code == 0 and json.loads(result.out) == {"data": {"hello": "Hello, Ada!"}}


def test_graphql_errors_are_shown_apart_and_exit_1(graphql_server: str) -> None:
    result = run_cli("graphql", graphql_server, "-q", "{ boom }")
    assert result.code == 1
    assert "GraphQL error: boom failed (path boom, line 1, column 3)" in result.err


def test_validation_error_exits_2_with_line_and_column(graphql_server: str) -> None:
    result = run_cli("graphql", graphql_server, "-q", "{ nope }")
    assert result.code == 2 and "line 1, column 3: Cannot query field 'nope' on type 'Query'" in result.err


def test_subscription_streams_ndjson(graphql_server: str) -> None:
    result = run_cli("graphql", graphql_server, "-q", "subscription { count(to: 5) }", "-C", "2")
    assert result.code == 0
    assert [json.loads(line) for line in result.out.splitlines()] == [{"data": {"count": 0}}, {"data": {"count": 1}}]


def test_schema_prints_sdl(graphql_server: str) -> None:
    result = run_cli("graphql", "schema", graphql_server)
    assert result.code == 0 and "type Query {" in result.out and "subscription: Subscription" not in result.out
    assert "count(to: Int! = 3, intervalMs: Int! = 10): Int!" in result.out


def test_query_from_file(graphql_server: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    query = tmp_path / "books.graphql"
    query.write_text("{ books { title } }")
    result = run_cli("graphql", graphql_server, "-q", f"@{query}")
    assert json.loads(result.out) == {"data": {"books": [{"title": "Dune"}, {"title": "Emma"}]}}
