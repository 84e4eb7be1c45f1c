"""Send Postman request objects through a real HttpHandler (one per test, closed after)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Response
from wirecall.plugins.http.handler import HttpHandler

from tests.tls_kit import identity, mtls_server, server_pki

AT = Location("collection.json", "$.item[0].request")
Send = Callable[..., Awaitable[Response]]


@pytest.fixture
async def handler() -> AsyncIterator[HttpHandler]:
    async with HttpHandler() as handler:
        yield handler


@pytest.fixture
def send(handler: HttpHandler) -> Send:
    """``await send(request_object, settings=..., cookies=..., endpoint_for=...)``."""

    async def send(raw: Any, settings: Settings | None = None, **exchange: Any) -> Response:
        request = handler.parse(raw, AT)
        return await handler.send(request, Exchange(settings=settings, **exchange))

    return send


@pytest.fixture
def echo(send: Send) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Send and return what the echo server says it received."""

    async def echo(raw: Any, settings: Settings | None = None, **exchange: Any) -> dict[str, Any]:
        response = await send(raw, settings, **exchange)
        assert response.code == 200, response.text()
        return response.json()

    return echo


@pytest.fixture(scope="session")
def two_mtls_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Two servers, each trusting only its own client: (server CA, [(url, identity)] * 2)."""
    folder = tmp_path_factory.mktemp("two-hosts")
    pki = server_pki(folder)
    alice, bob = identity(folder, "alice"), identity(folder, "bob")
    with mtls_server(pki, alice.ca) as a_url, mtls_server(pki, bob.ca) as b_url:
        yield pki.ca, [(a_url, alice), (b_url, bob)]
