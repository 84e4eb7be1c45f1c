from collections.abc import Iterator

import pytest

from tests.fixtures import running, socket_dir


@pytest.fixture(scope="session")
def graphql_server() -> Iterator[str]:
    """URL of the strawberry demo server (queries, mutations, uploads, subscriptions)."""
    with running("graphql") as server:
        yield server.url


@pytest.fixture(scope="session")
def graphql_uds_server() -> Iterator[str]:
    """The same server on a Unix socket; its URL is Postman's http://unix:PATH:... form."""
    with socket_dir("wc-gql-") as folder, running("graphql", "--uds", f"{folder}/graphql.sock") as server:
        yield server.url
