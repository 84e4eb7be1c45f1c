"""Session-wide HTTP echo servers (``wirecall.plugins.http.demo_server``), one per kind.

Imported into tests/conftest.py, so every test directory can ask for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fixtures import ServerAddress, running, socket_dir


@pytest.fixture(scope="session")
def http_server() -> Iterator[str]:
    """Base URL of the echo server over plain HTTP/1.1 (uvicorn), e.g. http://127.0.0.1:PORT."""
    with running("http") as address:
        yield address.url


@pytest.fixture(scope="session")
def https_server() -> Iterator[ServerAddress]:
    """The echo server over TLS: ``.url`` (https://127.0.0.1:PORT) and ``.ca`` (CA file)."""
    with running("http", "--tls") as address:
        yield address


@pytest.fixture(scope="session")
def http2_server() -> Iterator[ServerAddress]:
    """The echo server under hypercorn over TLS, so clients negotiate HTTP/2 through ALPN."""
    with running("http", "--http2", "--tls") as address:
        yield address


@pytest.fixture(scope="session")
def uds_http_server() -> Iterator[str]:
    """Path of a Unix socket the echo server listens on (removed afterwards)."""
    with socket_dir("wc-http-") as folder:
        path = os.path.join(folder, "http.sock")
        with running("http", "--uds", path):
            yield path
