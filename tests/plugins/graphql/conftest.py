from collections.abc import Iterator

import pytest

from wirecall.core.demo import DemoServer, start


@pytest.fixture(scope="session")
def graphql_server() -> Iterator[str]:
    """URL of the strawberry demo server (queries, mutations, uploads, subscriptions)."""
    with start(DemoServer("graphql", "wirecall.plugins.graphql.demo_server")) as server:
        yield server.address
