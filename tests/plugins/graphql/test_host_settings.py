"""The settings file's proxy for GraphQL queries (HTTP) and subscriptions (WebSocket)."""

from typing import Any
from urllib.parse import urlsplit

import pytest
from wirecall.core.errors import ConnectError

from tests.tls_kit import through

from .test_handler import send


def unresolvable(url: str) -> str:
    """The server's URL under a name only the test proxy reaches (it goes to 127.0.0.1)."""
    parts = urlsplit(url)
    return parts._replace(netloc=f"graphql.example.invalid:{parts.port}").geturl()


def test_query_through_the_settings_files_proxy(graphql_server: str, proxy: str) -> None:
    raw: dict[str, Any] = {"url": unresolvable(graphql_server), "query": "{ hello(name: \"proxy\") }"}
    assert send(raw, settings=through(proxy)).json() == {"data": {"hello": "Hello, proxy!"}}
    with pytest.raises(ConnectError):
        send(raw, settings=through(proxy, ".invalid"))


def test_subscription_through_the_settings_files_proxy(graphql_server: str, proxy: str) -> None:
    raw = {"url": unresolvable(graphql_server), "query": "subscription { count(to: 2) }"}
    response = send(raw, settings=through(proxy))
    assert [m.data for m in response.messages] == ['{"data": {"count": 0}}', '{"data": {"count": 1}}']
