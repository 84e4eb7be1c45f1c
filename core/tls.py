"""Client TLS contexts built from run settings plus a request's own ``tls`` options."""

from __future__ import annotations

import os
import secrets
import ssl
import tempfile
from collections.abc import Mapping
from typing import Any

from wirecall.core.errors import CollectionError, Location, TLSError
from wirecall.core.exchange import Settings
from wirecall.core.transport_settings import HostTLS, host_and_port

TLS_KEYS = ("verify", "ca", "cert", "key", "passphrase")


def parse_tls(raw: Any, at: Location) -> dict[str, Any]:
    """Validate a request's ``tls`` object: {verify: bool, ca, cert, key, passphrase: str}."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise CollectionError(f"expected an object with {', '.join(TLS_KEYS)}", at)
    for key, value in raw.items():
        if key not in TLS_KEYS:
            raise CollectionError(
                f"unknown TLS option; expected one of {', '.join(TLS_KEYS)}", at.child(key)
            )
        expected = bool if key == "verify" else str
        if not isinstance(value, expected):
            raise CollectionError(f"expected {key} to be a {expected.__name__}", at.child(key))
    return dict(raw)


def client_context(
    settings: Settings, tls: Mapping[str, Any] | None = None, *, host: str | None = None
) -> ssl.SSLContext:
    """An SSLContext: request ``tls`` options override the run's (Newman's --insecure etc.).

    ``host`` (``name``, ``name:port`` or a URL; default: the item's URL) picks the settings
    file's certificate for that host, which wins over the run's ``--ssl-client-cert``; CA
    bundles from the run, the request and the host entry are all trusted.
    """
    tls = tls or {}
    entry = host_tls(settings, host)
    verify = tls.get("verify", settings.verify_tls)
    cas = [_path(settings, tls.get("ca", settings.ca_bundle)), entry.ca if entry else None]
    if "cert" in tls:
        cert, key, pfx = tls["cert"], tls.get("key"), None
        passphrase = tls.get("passphrase")
    elif entry is not None and (entry.cert or entry.pfx):
        cert, key, pfx, passphrase = entry.cert, entry.key, entry.pfx, entry.passphrase
    else:
        cert, key, pfx = settings.client_cert, settings.client_key, settings.client_pfx
        passphrase = tls.get("passphrase", settings.client_key_passphrase)
    context = ssl.create_default_context()
    try:
        for ca in filter(None, cas):
            context.load_verify_locations(ca)
        if pfx:
            load_pfx(context, _path(settings, pfx), passphrase)
        elif cert:
            context.load_cert_chain(_path(settings, cert), _path(settings, key), passphrase)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise TLSError(f"cannot load TLS files: {exc}") from exc
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def host_tls(settings: Settings, host: str | None = None) -> HostTLS | None:
    """The settings file's TLS entry for ``host`` (default: the item's URL), if any.

    Plugins that cache connections add it to their cache key.
    """
    target = host or settings.target_url
    if settings.transport is None or not target:
        return None
    return settings.transport.tls_for(*host_and_port(target))


def load_pfx(context: ssl.SSLContext, path: str | None, passphrase: str | None) -> None:
    """Load a PKCS#12 (PFX) certificate and key into ``context``.

    ``ssl`` reads only PEM files, so the key is written re-encrypted under a one-time random
    password to a private temporary file that is removed at once: it never touches the disk
    in the clear.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    assert path is not None
    with open(path, "rb") as file:
        data = file.read()
    secret = passphrase.encode() if passphrase else None
    key, cert, chain = pkcs12.load_key_and_certificates(data, secret)
    if key is None or cert is None:
        raise ValueError(f"{path} holds no private key and certificate")
    once = secrets.token_bytes(32)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(once),
    ) + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (cert, *chain))
    with tempfile.TemporaryDirectory(prefix="wirecall-pfx-") as folder:
        pem_path = os.path.join(folder, "identity.pem")
        fd = os.open(pem_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        context.load_cert_chain(pem_path, password=once)


def _path(settings: Settings, path: str | None) -> str | None:
    return os.path.join(settings.working_dir, path) if path else None
