from collections.abc import Iterator

import pytest

from wirecall.core.demo import DemoServer, start


@pytest.fixture(scope="session")
def graphql_server() -> Iterator[str]:
    """URL of the strawberry demo server (queries, mutations, uploads, subscriptions)."""
    with start(DemoServer("graphql", "wirecall.plugins.graphql.demo_server")) as server:
        yield server.address


@pytest.fixture(scope="session")
def graphql_uds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same server on a Unix socket; its URL is Postman's http://unix:PATH:/graphql form."""
    path = tmp_path_factory.mktemp("gql") / "graphql.sock"
    with start(DemoServer("graphql", "wirecall.plugins.graphql.demo_server"), ["--uds", str(path)]) as server:
        yield server.address
