"""Per-host client certificates against a real TLS server that requires one."""

from __future__ import annotations

import asyncio
import json
import ssl
from urllib.parse import urlsplit

import pytest
from wirecall.core.errors import TLSError
from wirecall.core.exchange import Settings
from wirecall.core.tls import choose_tls, client_context, identity_pem
from wirecall.core.transport_settings import HostPattern, HostTLS, TransportSettings


async def whoami(url: str, context: ssl.SSLContext) -> str:
    """The common name the server saw, or "refused" when it would not talk to us.

    Our own failure to verify the server is raised, so it cannot pass for a refusal.
    """
    parts = urlsplit(url)
    try:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port, ssl=context)
    except ssl.SSLCertVerificationError:
        raise
    except (ssl.SSLError, ConnectionError):
        return "refused"
    try:
        writer.write(b"GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await writer.drain()
        reply = await reader.read()
    except (ssl.SSLError, ConnectionError):
        return "refused"
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ssl.SSLError, ConnectionError):
            pass
    if not reply:
        return "refused"
    return json.loads(reply.partition(b"\r\n\r\n")[2])["client"]


def settings_for(url: str, *entries: HostTLS, **fields) -> Settings:
    return Settings(transport=TransportSettings(tuple(entries)), target_url=url, **fields)


def entry(pattern: str, **files) -> HostTLS:
    return HostTLS(HostPattern.parse(pattern), **{k: str(v) for k, v in files.items()})


async def test_the_host_entry_with_a_pem_key_and_passphrase_is_presented(mtls_server, pki):
    host = urlsplit(mtls_server).netloc
    settings = settings_for(
        mtls_server,
        entry("*.example.com", cert=pki.stranger_cert, key=pki.stranger_key),
        entry(host, cert=pki.client_cert, key=pki.client_key, passphrase=pki.pem_passphrase, ca=pki.server_ca),
    )  # fmt: skip
    assert await whoami(mtls_server, client_context(settings)) == "alice-client"


async def test_a_pfx_entry_is_presented(mtls_server, pki):
    settings = settings_for(
        mtls_server,
        entry("127.0.0.1", pfx=pki.client_pfx, passphrase=pki.pfx_passphrase, ca=pki.server_ca),
    )
    assert await whoami(mtls_server, client_context(settings)) == "alice-client"


async def test_without_a_matching_entry_the_server_refuses(mtls_server, pki):
    port = urlsplit(mtls_server).port
    settings = settings_for(
        mtls_server,
        entry("127.0.0.1", ca=pki.server_ca),  # trusts the server, presents nothing
        entry(f"127.0.0.1:{port + 1}", cert=pki.client_cert, key=pki.client_key,
              passphrase=pki.pem_passphrase),  # other port
    )  # fmt: skip
    assert await whoami(mtls_server, client_context(settings)) == "refused"


async def test_the_host_argument_picks_the_entry_for_another_connection(mtls_server, pki):
    settings = settings_for(
        "https://elsewhere.example/",
        entry("127.0.0.1", pfx=pki.client_pfx, passphrase=pki.pfx_passphrase),
        ca_bundle=str(pki.server_ca),
    )
    assert await whoami(mtls_server, client_context(settings)) == "refused"
    context = client_context(settings, host=mtls_server)
    assert await whoami(mtls_server, context) == "alice-client"


async def test_a_request_tls_cert_wins_over_the_host_entry(mtls_server, pki):
    settings = settings_for(
        mtls_server,
        entry("127.0.0.1", pfx=pki.client_pfx, passphrase=pki.pfx_passphrase, ca=pki.server_ca),
    )
    tls = {"cert": str(pki.stranger_cert), "key": str(pki.stranger_key)}
    assert await whoami(mtls_server, client_context(settings, tls)) == "refused"


async def test_the_host_entry_wins_over_the_run_wide_certificate(mtls_server, pki):
    settings = settings_for(
        mtls_server,
        entry("127.0.0.1", cert=pki.client_cert, key=pki.client_key, passphrase=pki.pem_passphrase),
        client_cert=str(pki.stranger_cert), client_key=str(pki.stranger_key),
        ca_bundle=str(pki.server_ca),
    )  # fmt: skip
    assert await whoami(mtls_server, client_context(settings)) == "alice-client"


def test_a_wrong_pfx_passphrase_is_a_tls_error(pki):
    settings = settings_for(
        "https://127.0.0.1/", entry("127.0.0.1", pfx=pki.client_pfx, passphrase="wrong")
    )
    with pytest.raises(TLSError, match="cannot load TLS files"):
        client_context(settings)


@pytest.mark.parametrize("form", ["pem", "pfx"])
async def test_identity_pem_gives_plain_pem_for_libraries_that_take_bytes(
    mtls_server, pki, tmp_path, form
):
    files = (
        {"cert": pki.client_cert, "key": pki.client_key, "passphrase": pki.pem_passphrase}
        if form == "pem"
        else {"pfx": pki.client_pfx, "passphrase": pki.pfx_passphrase}
    )
    chosen = choose_tls(settings_for(mtls_server, entry("127.0.0.1", **files)))
    key, chain = identity_pem(chosen)
    assert key.startswith(b"-----BEGIN PRIVATE KEY-----")  # decrypted, as gRPC wants it
    (tmp_path / "id.pem").write_bytes(key + chain)
    context = ssl.create_default_context(cafile=pki.server_ca)
    context.load_cert_chain(tmp_path / "id.pem")
    assert await whoami(mtls_server, context) == "alice-client"
    assert identity_pem(choose_tls(Settings())) is None
