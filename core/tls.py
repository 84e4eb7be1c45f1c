"""Client TLS contexts built from run settings plus a request's own ``tls`` options."""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from typing import Any

from wirecall.core.errors import CollectionError, Location, TLSError
from wirecall.core.exchange import Settings

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


def client_context(settings: Settings, tls: Mapping[str, Any] | None = None) -> ssl.SSLContext:
    """An SSLContext: request ``tls`` options override the run's (Newman's --insecure etc.)."""
    tls = tls or {}
    verify = tls.get("verify", settings.verify_tls)
    ca = _path(settings, tls.get("ca", settings.ca_bundle))
    cert = _path(settings, tls.get("cert", settings.client_cert))
    key = _path(settings, tls.get("key", settings.client_key))
    passphrase = tls.get("passphrase", settings.client_key_passphrase)
    context = ssl.create_default_context()
    try:
        if ca:
            context.load_verify_locations(ca)
        if cert:
            context.load_cert_chain(cert, key, passphrase)
    except (OSError, ssl.SSLError) as exc:
        raise TLSError(f"cannot load TLS files: {exc}") from exc
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _path(settings: Settings, path: str | None) -> str | None:
    return os.path.join(settings.working_dir, path) if path else None
