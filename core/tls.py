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
from wirecall.core.record import Record
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


class ClientTLS(Record):
    """The TLS material one connection uses (paths already joined with the working dir)."""

    verify: bool = True
    cas: tuple[str, ...] = ()
    cert: str | None = None
    key: str | None = None
    pfx: str | None = None
    passphrase: str | None = None


def choose_tls(
    settings: Settings, tls: Mapping[str, Any] | None = None, *, host: str | None = None
) -> ClientTLS:
    """Which certificate and CAs a connection uses, strongest first: the request's ``tls``,
    the settings file's entry for ``host`` (``name``, ``name:port`` or a URL; default: the
    item's URL), then the run's ``--ssl-client-cert``. CA bundles from all three add up.
    """
    tls = tls or {}
    entry = host_tls(settings, host)
    cas = [_path(settings, tls.get("ca", settings.ca_bundle)), entry.ca if entry else None]
    if "cert" in tls:
        cert, key, pfx = tls["cert"], tls.get("key"), None
        passphrase = tls.get("passphrase")
    elif entry is not None and (entry.cert or entry.pfx):
        cert, key, pfx, passphrase = entry.cert, entry.key, entry.pfx, entry.passphrase
    else:
        cert, key, pfx = settings.client_cert, settings.client_key, settings.client_pfx
        passphrase = tls.get("passphrase", settings.client_key_passphrase)
    return ClientTLS(
        verify=tls.get("verify", settings.verify_tls),
        cas=tuple(filter(None, cas)),
        cert=_path(settings, cert),
        key=_path(settings, key),
        pfx=_path(settings, pfx),
        passphrase=passphrase,
    )


def client_context(
    settings: Settings, tls: Mapping[str, Any] | None = None, *, host: str | None = None
) -> ssl.SSLContext:
    """An SSLContext for :func:`choose_tls`'s choice (Newman's --insecure etc. included)."""
    chosen = choose_tls(settings, tls, host=host)
    context = ssl.create_default_context()
    try:
        for ca in chosen.cas:
            context.load_verify_locations(ca)
        if chosen.pfx:
            load_pfx(context, chosen.pfx, chosen.passphrase)
        elif chosen.cert:
            context.load_cert_chain(chosen.cert, chosen.key, chosen.passphrase)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise TLSError(f"cannot load TLS files: {exc}") from exc
    if not chosen.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def identity_pem(chosen: ClientTLS) -> tuple[bytes, bytes] | None:
    """``(private key, certificate chain)`` as unencrypted PEM, for libraries that take bytes
    rather than an SSLContext (gRPC's ``ssl_channel_credentials``); None without a cert."""
    if not (chosen.pfx or chosen.cert):
        return None
    from cryptography.hazmat.primitives import serialization

    try:
        key, chain = _identity(chosen)
    except (OSError, ValueError, TypeError) as exc:
        raise TLSError(f"cannot load TLS files: {exc}") from exc
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ), b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)


def _identity(chosen: ClientTLS) -> tuple[Any, list[Any]]:
    """The private key and certificate chain of a PFX file, or of PEM cert (+ key) files.

    cryptography is imported here, not at module level: its x509 module alone is ~20 ms of
    every run's start-up, and only client certificates need it (tests/bench).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    secret = chosen.passphrase.encode() if chosen.passphrase else None
    if chosen.pfx:
        key, cert, extra = pkcs12.load_key_and_certificates(_read(chosen.pfx), secret)
        if key is None or cert is None:
            raise ValueError(f"{chosen.pfx} holds no private key and certificate")
        return key, [cert, *extra]
    assert chosen.cert is not None
    pem = _read(chosen.cert)
    key_pem = _read(chosen.key) if chosen.key else pem
    return serialization.load_pem_private_key(key_pem, secret), x509.load_pem_x509_certificates(pem)


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def host_tls(settings: Settings, host: str | None = None) -> HostTLS | None:
    """The settings file's TLS entry for ``host`` (default: the item's URL), if any.

    Plugins that cache connections add it to their cache key.
    """
    target = host or settings.target_url
    if settings.transport is None or not target:
        return None
    return settings.transport.tls_for(*host_and_port(target))


def load_pfx(context: ssl.SSLContext, path: str, passphrase: str | None) -> None:
    """Load a PKCS#12 (PFX) certificate and key into ``context``.

    ``ssl`` reads only PEM files, so the key is written re-encrypted under a one-time random
    password to a private temporary file that is removed at once: it never touches the disk
    in the clear.
    """
    from cryptography.hazmat.primitives import serialization

    key, chain = _identity(ClientTLS(pfx=path, passphrase=passphrase))
    once = secrets.token_bytes(32)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(once),
    ) + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)
    with tempfile.TemporaryDirectory(prefix="wirecall-pfx-") as folder:
        pem_path = os.path.join(folder, "identity.pem")
        fd = os.open(pem_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        context.load_cert_chain(pem_path, password=once)


def _path(settings: Settings, path: str | None) -> str | None:
    return os.path.join(settings.working_dir, path) if path else None
