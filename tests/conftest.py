"""Suite-wide settings: loopback traffic never goes through a proxy; gRPC stays quiet."""

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
for proxy_var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(proxy_var, None)



@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """No test ever touches the developer's real keyring: keyring sees its null backend."""
    import keyring
    from keyring.backends import null

    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def auth_server() -> Iterator[str]:
    """``tests/auth_server.py``: checks credentials the way real servers do."""
    from pathlib import Path

    from wirecall.core.demo import DemoServer, start

    root = str(Path(__file__).resolve().parents[1])
    server = DemoServer("auth", "tests.auth_server", "credential-checking test server")
    with start(server, env={"PYTHONPATH": root}) as running:
        yield running.address


@pytest.fixture(scope="session")
def proxy() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a CONNECT proxy that tunnels every host name to 127.0.0.1."""
    from tests.tls_kit import connect_proxy

    with connect_proxy() as url:
        yield url


# Server fixtures shared by every test directory (session-scoped, started on first use).
from tests.servers import (  # noqa: E402,F401
    http2_server,
    http_server,
    https_server,
    uds_http_server,
)
