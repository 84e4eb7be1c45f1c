"""Certificates made for the session (trustme) and a TLS server that requires a client cert."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from wirecall.core.demo import DemoServer, start

HERE = Path(__file__).resolve().parent
PEM_PASSPHRASE = "pem-key-passphrase"
PFX_PASSPHRASE = "pfx-passphrase"


@dataclass(frozen=True)
class Pki:
    """Paths: the server's CA, a client cert + encrypted key, the same identity as PFX, and a
    client cert from a CA the server does not trust."""

    server_ca: Path
    server_cert: Path
    server_key: Path
    client_ca: Path
    client_cert: Path
    client_key: Path  # encrypted with PEM_PASSPHRASE
    client_pfx: Path  # encrypted with PFX_PASSPHRASE
    stranger_cert: Path
    stranger_key: Path
    pem_passphrase: str = PEM_PASSPHRASE
    pfx_passphrase: str = PFX_PASSPHRASE


def _encrypted_key(pem: bytes, passphrase: str) -> tuple[object, bytes]:
    key = serialization.load_pem_private_key(pem, None)
    return key, key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    server_ca, client_ca, stranger_ca = trustme.CA(), trustme.CA(), trustme.CA()
    server = server_ca.issue_cert("127.0.0.1", "localhost")
    client = client_ca.issue_cert("alice@example.org", common_name="alice-client")
    stranger = stranger_ca.issue_cert("mallory@example.org", common_name="mallory")
    paths = Pki(*(folder / name for name in (
        "server-ca.pem", "server.pem", "server.key", "client-ca.pem", "client.pem",
        "client.key", "client.p12", "stranger.pem", "stranger.key",
    )))  # fmt: skip
    server_ca.cert_pem.write_to_path(paths.server_ca)
    server.cert_chain_pems[0].write_to_path(paths.server_cert)
    server.private_key_pem.write_to_path(paths.server_key)
    client_ca.cert_pem.write_to_path(paths.client_ca)
    client.cert_chain_pems[0].write_to_path(paths.client_cert)
    key, encrypted = _encrypted_key(client.private_key_pem.bytes(), PEM_PASSPHRASE)
    paths.client_key.write_bytes(encrypted)
    cert = x509.load_pem_x509_certificate(client.cert_chain_pems[0].bytes())
    paths.client_pfx.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"alice",
            key,
            cert,
            None,
            serialization.BestAvailableEncryption(PFX_PASSPHRASE.encode()),
        )
    )
    stranger.cert_chain_pems[0].write_to_path(paths.stranger_cert)
    stranger.private_key_pem.write_to_path(paths.stranger_key)
    return paths


@pytest.fixture(scope="session")
def mtls_server(pki: Pki) -> Iterator[str]:
    """``https://127.0.0.1:PORT`` of a server that refuses clients without a client_ca cert."""
    server = DemoServer("mtls", "mtls_server", "TLS server requiring a client certificate")
    args = [str(pki.server_cert), str(pki.server_key), str(pki.client_ca)]
    with start(server, args, env={"PYTHONPATH": str(HERE)}) as running:
        yield running.address
