"""Client identities signed by different CAs, and TLS servers that require one (mTLS).

Shared by the plugin tests that check per-host client certificates. The server is
``tests/core/tls/mtls_server.py``: it answers any HTTP request with the common name of the
certificate the client presented.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import trustme
from wirecall.core.demo import DemoServer, start
from wirecall.core.exchange import Settings
from wirecall.core.transport_settings import ProxySettings, TransportSettings

ROOT = Path(__file__).resolve().parents[1]
MTLS_SERVER = DemoServer("mtls", "mtls_server", "TLS server requiring a client certificate")


@dataclass(frozen=True)
class Identity:
    """A client certificate and key (PEM) and the CA that signed it."""

    name: str
    cert: Path
    key: Path
    ca: Path


@dataclass(frozen=True)
class ServerPki:
    """The CA clients trust, and the server's certificate and key (for 127.0.0.1, localhost)."""

    ca: Path
    cert: Path
    key: Path


def server_pki(folder: Path) -> ServerPki:
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    paths = ServerPki(folder / "server-ca.pem", folder / "server.pem", folder / "server.key")
    ca.cert_pem.write_to_path(paths.ca)
    issued.private_key_and_cert_chain_pem.write_to_path(paths.cert)
    issued.private_key_pem.write_to_path(paths.key)
    return paths


def identity(folder: Path, name: str) -> Identity:
    """A client certificate with common name ``name``, from a CA of its own."""
    ca = trustme.CA()
    issued = ca.issue_cert(f"{name}@example.org", common_name=name)
    paths = Identity(
        name, folder / f"{name}.pem", folder / f"{name}.key", folder / f"{name}-ca.pem"
    )
    issued.cert_chain_pems[0].write_to_path(paths.cert)
    issued.private_key_pem.write_to_path(paths.key)
    ca.cert_pem.write_to_path(paths.ca)
    return paths


@contextlib.contextmanager
def mtls_server(pki: ServerPki, client_ca: Path) -> Iterator[str]:
    """``https://127.0.0.1:PORT``, accepting only clients whose certificate ``client_ca`` signed."""
    args = [str(pki.cert), str(pki.key), str(client_ca)]
    with start(MTLS_SERVER, args, env={"PYTHONPATH": str(ROOT / "tests" / "core" / "tls")}) as up:
        yield up.address


CONNECT_PROXY = DemoServer("connect-proxy", "tests.connect_proxy", "HTTP CONNECT proxy")


@contextlib.contextmanager
def connect_proxy() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a CONNECT proxy tunnelling every host name to 127.0.0.1."""
    with start(CONNECT_PROXY, env={"PYTHONPATH": str(ROOT)}) as up:
        yield up.address


def through(proxy: str, *bypass: str) -> Settings:
    """Run settings whose settings file sends everything through ``proxy`` except ``bypass``."""
    return Settings(transport=TransportSettings(proxy=ProxySettings(http=proxy, bypass=bypass)), trust_env=False)
