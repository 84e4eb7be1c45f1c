"""The settings file's per-host client certificate (PFX with a passphrase) and proxy, for gRPC."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from wirecall.core.errors import ConnectError
from wirecall.core.exchange import Settings
from wirecall.core.transport_settings import HostPattern, HostTLS, ProxySettings, TransportSettings

from .conftest import SERVER_NAME, item, send

RG = "routeguide.v1.RouteGuide"
BIG_BEN = {"latitude": 515007000, "longitude": -1246000}
PASSPHRASE = "grpc-pfx-secret"


@pytest.fixture(scope="session")
def client_pfx(certs: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> str:
    key = serialization.load_pem_private_key(Path(certs["client_key"]).read_bytes(), None)
    cert = x509.load_pem_x509_certificate(Path(certs["client"]).read_bytes())
    path = tmp_path_factory.mktemp("grpc-pfx") / "client.p12"
    encryption = serialization.BestAvailableEncryption(PASSPHRASE.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"c", key, cert, None, encryption))
    return str(path)




def settings_with(*entries: HostTLS, proxy: ProxySettings | None = None) -> Settings:
    transport = TransportSettings(entries, proxy or ProxySettings())
    return Settings(transport=transport, trust_env=False)


async def test_client_pfx_for_the_host_from_the_settings_file(
    mtls_server: str, certs: dict[str, str], client_pfx: str
) -> None:
    host = urlsplit(mtls_server).netloc
    entry = HostTLS(HostPattern.parse(host), pfx=client_pfx, passphrase=PASSPHRASE, ca=certs["ca"])
    tls = {"serverName": SERVER_NAME}
    response = await send(
        item(mtls_server, f"{RG}/GetFeature", BIG_BEN, tls=tls), settings_with(entry)
    )
    assert response.ok
    other = HostTLS(HostPattern.parse("elsewhere.example"), pfx=client_pfx, passphrase=PASSPHRASE)
    with pytest.raises(ConnectError):  # no certificate for this host: the server refuses
        await send(
            item(mtls_server, f"{RG}/GetFeature", BIG_BEN, tls=tls, deadlineMs=5000),
            settings_with(other, HostTLS(HostPattern.parse(host), ca=certs["ca"])),
        )


async def test_through_the_settings_files_proxy(
    tls_server: str, certs: dict[str, str], proxy: str
) -> None:
    # Only the proxy can reach grpc.example.test (it tunnels every name to 127.0.0.1).
    url = f"grpcs://{SERVER_NAME}:{urlsplit(tls_server).port}"
    ca = HostTLS(HostPattern.parse(SERVER_NAME), ca=certs["ca"])
    settings = settings_with(ca, proxy=ProxySettings(http=proxy, https=proxy))
    response = await send(item(url, f"{RG}/GetFeature", BIG_BEN), settings)
    assert response.ok
    with pytest.raises(ConnectError):
        await send(item(url, f"{RG}/GetFeature", BIG_BEN, deadlineMs=5000), settings_with(ca))


async def test_the_items_encrypted_key_with_its_passphrase(
    mtls_server: str, certs: dict[str, str], tmp_path: Path
) -> None:
    key = serialization.load_pem_private_key(Path(certs["client_key"]).read_bytes(), None)
    encrypted = tmp_path / "client-encrypted.key"
    encrypted.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    tls = {"ca": certs["ca"], "cert": certs["client"], "key": str(encrypted),
           "passphrase": PASSPHRASE, "serverName": SERVER_NAME}  # fmt: skip
    response = await send(item(mtls_server, f"{RG}/GetFeature", BIG_BEN, tls=tls))
    assert response.ok
