"""grpc.aio channels, one per target and transport settings, kept for the whole run.

The client certificate and CAs come from ``core.tls.choose_tls`` (the item's ``tls``, the
settings file's entry for the host, then the run's ``--ssl-client-*``), and the proxy from
``proxy_for`` (the settings file's, or the environment's): gRPC is told exactly which proxy
to use (``grpc.http_proxy``) or none, and never reads the environment itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
from pathlib import Path
from typing import NamedTuple

import grpc
from wirecall.core.errors import ConnectError, TLSError
from wirecall.core.exchange import Settings
from wirecall.core.tls import ClientTLS, choose_tls, identity_pem
from wirecall.core.transport_settings import TransportSettings, proxy_for
from wirecall.plugins.grpc.request import PLAINTEXT, GrpcRequest, Tls, Transport

_COMPRESSION = {
    "gzip": grpc.Compression.Gzip,
    "deflate": grpc.Compression.Deflate,
    "none": grpc.Compression.NoCompression,
}


class ChannelKey(NamedTuple):
    """Everything that makes two channels different; equal keys share one channel (a tuple:
    built and hashed on every call, cheaply)."""

    target: str
    transport: Transport = PLAINTEXT  # its tls: insecure and serverName, completed by the run
    identity: ClientTLS | None = None  # the TLS files
    proxy: str | None = None


class Proxies:
    """The proxy of each URL, worked out once per run: the environment is read when the run
    starts, and the answer depends only on the URL and the run's settings (file)."""

    def __init__(self) -> None:
        self._environ = dict(os.environ)
        self._known: dict[tuple[str, TransportSettings | None, bool], str | None] = {}

    def for_url(self, settings: Settings, url: str) -> str | None:
        key = (url, settings.transport, settings.trust_env)
        if key not in self._known:
            self._known[key] = proxy_for(settings, url, self._environ)
        return self._known[key]


def channel_key(
    request: GrpcRequest, target: str, settings: Settings, proxies: Proxies
) -> ChannelKey:
    """The request's channel settings, completed by the run's (Newman's --insecure, -ca ...)
    and the settings file's (certificates and proxy for the host)."""
    options = request.transport
    tls, identity = options.tls, None
    if tls is not None:
        files = (
            ("ca", tls.ca),
            ("cert", tls.cert),
            ("key", tls.key),
            ("passphrase", tls.passphrase),
        )
        own = {k: v for k, v in files if v}
        identity = choose_tls(settings, own, host=request.url)
        tls = Tls(insecure=tls.insecure or not identity.verify, server_name=tls.server_name)
    return ChannelKey(
        target,
        options._replace(tls=tls),
        identity,
        None if target.startswith("unix:") else proxies.for_url(settings, request.url),
    )


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise TLSError(f"cannot read the {what} {path}: {exc.strerror}", protocol="grpc") from exc


async def _server_certificate(target: str) -> tuple[bytes, str]:
    """The server's own certificate and a name in it, to trust it as is (``--insecure``)."""
    from cryptography import x509

    host, _, port = target.rpartition(":")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    try:
        _, writer = await asyncio.open_connection(host.strip("[]"), int(port), ssl=context)
    except (OSError, ValueError) as exc:
        raise ConnectError(
            f"cannot reach {target} for its TLS certificate: {exc}", protocol="grpc"
        ) from exc
    try:
        der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()
        with contextlib.suppress(OSError):  # an HTTP/2 server may write after our close_notify
            await writer.wait_closed()
    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [
            *san.get_values_for_type(x509.DNSName),
            *(str(ip) for ip in san.get_values_for_type(x509.IPAddress)),
        ]
    except x509.ExtensionNotFound:
        names = [a.value for a in cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)]
    return ssl.DER_cert_to_PEM_cert(der).encode(), str(names[0]) if names else host


async def open_channel(key: ChannelKey) -> grpc.aio.Channel:
    transport = key.transport
    options: list[tuple[str, object]] = []
    if key.proxy:
        options.append(("grpc.http_proxy", key.proxy))
    else:
        options.append(("grpc.enable_http_proxy", 0))
    if transport.authority:
        options.append(("grpc.default_authority", transport.authority))
    if transport.max_receive_bytes is not None:
        options.append(("grpc.max_receive_message_length", int(transport.max_receive_bytes)))
    if transport.max_send_bytes is not None:
        options.append(("grpc.max_send_message_length", int(transport.max_send_bytes)))
    if transport.keepalive_ms is not None:
        options.append(("grpc.keepalive_time_ms", int(transport.keepalive_ms)))
    compression = _COMPRESSION.get(transport.compression or "")
    if transport.tls is None:
        return grpc.aio.insecure_channel(key.target, options=options, compression=compression)
    tls, identity = transport.tls, key.identity or ClientTLS()
    cas = [_read(ca, "CA certificate") for ca in identity.cas]
    root = b"\n".join(cas) if cas else None
    server_name = tls.server_name or transport.authority
    if tls.insecure and not key.target.startswith("unix:"):
        root, cert_name = await _server_certificate(key.target)
        server_name = server_name or cert_name
    if server_name:
        options.append(("grpc.ssl_target_name_override", server_name))
    private_key, chain = identity_pem(identity) or (None, None)
    credentials = grpc.ssl_channel_credentials(
        root_certificates=root, private_key=private_key, certificate_chain=chain
    )
    return grpc.aio.secure_channel(
        key.target, credentials, options=options, compression=compression
    )
