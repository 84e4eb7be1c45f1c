"""``hawk``: Hawk request MACs (hawk.1.header), optional payload hash, app/dlg delegation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from typing import Any
from urllib.parse import urlsplit

from wirecall.core.auth.base import AuthScheme, AuthTarget, flag, require, text
from wirecall.core.auth.context import current
from wirecall.core.errors import AuthError

_ALGORITHMS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _digest(algorithm: str):
    try:
        return _ALGORITHMS[algorithm.lower()]
    except KeyError:
        raise AuthError(
            f"hawk auth: unsupported algorithm {algorithm!r} (sha256 or sha1)"
        ) from None


def payload_hash(algorithm: str, content_type: str, payload: bytes) -> str:
    mime = content_type.split(";")[0].strip().lower()
    data = b"hawk.1.payload\n" + mime.encode() + b"\n" + payload + b"\n"
    return base64.b64encode(_digest(algorithm)(data).digest()).decode("ascii")


def request_mac(
    key: str,
    algorithm: str,
    *,
    ts: str,
    nonce: str,
    method: str,
    url: str,
    hash_: str = "",
    ext: str = "",
    app: str = "",
    dlg: str = "",
) -> str:
    parts = urlsplit(url)
    resource = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)
    lines = [
        "hawk.1.header",
        ts,
        nonce,
        method.upper(),
        resource,
        (parts.hostname or "").lower(),
        str(port),
        hash_,
        ext.replace("\\", "\\\\").replace("\n", "\\n"),
    ]
    if app:
        lines += [app, dlg]
    normalized = "\n".join(lines) + "\n"
    mac = hmac.new(key.encode(), normalized.encode(), _digest(algorithm)).digest()
    return base64.b64encode(mac).decode("ascii")


class Hawk(AuthScheme):
    name = "hawk"
    secret_params = ("authKey",)

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        auth_id, key = require(self.name, params, "authId", "authKey")
        algorithm = text(params, "algorithm", "sha256")
        fields = {
            "id": auth_id,
            "ts": text(params, "timestamp") or str(int(time.time())),
            "nonce": text(params, "nonce") or base64.urlsafe_b64encode(os.urandom(6)).decode(),
        }
        if flag(params, "includePayloadHash"):
            fields["hash"] = payload_hash(
                algorithm, target.header("Content-Type") or "", target.body or b""
            )
        for name, param in (("ext", "extraData"), ("app", "app"), ("dlg", "delegation")):
            if text(params, param):
                fields[name] = text(params, param)
        mac = request_mac(
            key,
            algorithm,
            ts=fields["ts"],
            nonce=fields["nonce"],
            method=target.method,
            url=target.url,
            hash_=fields.get("hash", ""),
            ext=fields.get("ext", ""),
            app=fields.get("app", ""),
            dlg=fields.get("dlg", ""),
        )
        current().secret(mac)
        fields["mac"] = mac
        order = ("id", "ts", "nonce", "hash", "ext", "mac", "app", "dlg")
        header = ", ".join(f'{k}="{fields[k]}"' for k in order if k in fields)
        target.set_header("Authorization", f"Hawk {header}")
