"""``digest``: RFC 7616 (MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256; qop auth/auth-int).

The first request goes out without credentials unless a challenge is known (from the
parameters or from an earlier response in this run); a 401 with a Digest challenge is
answered once by ``retry``. The nonce count for a server nonce keeps rising across requests.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any
from urllib.parse import urlsplit

from wirecall.core.auth.base import AuthScheme, AuthTarget, flag, require, text
from wirecall.core.auth.context import current
from wirecall.core.errors import AuthError

_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}
_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))')
_CHALLENGE_KEYS = ("realm", "nonce", "opaque", "qop", "algorithm")


def parse_challenge(header: str) -> dict[str, str] | None:
    """The parameters of a ``Digest`` challenge header, or None if it is not one."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    return {m[1].lower(): m[2].replace('\\"', '"') if m[2] else m[3] for m in _PARAM.finditer(rest)}


def _hash(algorithm: str, data: str | bytes) -> str:
    name = _HASHES.get(algorithm.upper().removesuffix("-SESS"))
    if name is None:
        raise AuthError(f"digest auth: unsupported algorithm {algorithm!r}")
    return hashlib.new(name, data.encode() if isinstance(data, str) else data).hexdigest()


class Digest(AuthScheme):
    name = "digest"
    secret_params = ("password",)

    def __init__(self) -> None:
        self._retried = False

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        (username,) = require(self.name, params, "username")
        known = current().state.get(self._key(target))
        challenge = known or {k: text(params, k) for k in _CHALLENGE_KEYS if text(params, k)}
        if not challenge.get("nonce") or "realm" not in challenge:
            return  # nothing to answer yet: the server's 401 brings the challenge
        if known is None:
            current().state[self._key(target)] = challenge = {**challenge, "nc": 0}
        challenge["nc"] = challenge.get("nc", 0) + 1
        header = self._header(username, text(params, "password"), params, challenge, target)
        target.set_header("Authorization", header)

    async def retry(self, params: dict[str, Any], target: AuthTarget, response: Any) -> bool:
        if self._retried or response.code != 401 or flag(params, "disableRetryRequest"):
            return False
        for name, value in response.headers:
            challenge = parse_challenge(value) if name.lower() == "www-authenticate" else None
            if challenge and "nonce" in challenge:
                self._retried = True
                current().state[self._key(target)] = {**challenge, "nc": 0}
                await self.sign(params, target)
                return True
        return False

    @staticmethod
    def _key(target: AuthTarget) -> tuple[str, str]:
        parts = urlsplit(target.url)
        return ("digest", f"{parts.scheme}://{parts.netloc}")

    @staticmethod
    def _header(
        user: str, password: str, params: dict[str, Any], ch: dict[str, Any], target: AuthTarget
    ) -> str:
        algorithm = ch.get("algorithm") or text(params, "algorithm", "MD5")
        realm, nonce = ch["realm"], ch["nonce"]
        parts = urlsplit(target.url)
        uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        offered = [q.strip() for q in (ch.get("qop") or "").split(",") if q.strip()]
        qop = "auth" if "auth" in offered else (offered[0] if offered else "")
        nc = f"{ch['nc']:08x}"
        cnonce = text(params, "clientNonce") or os.urandom(8).hex()
        ha1 = _hash(algorithm, f"{user}:{realm}:{password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = _hash(algorithm, f"{ha1}:{nonce}:{cnonce}")
        a2 = f"{target.method}:{uri}"
        if qop == "auth-int":
            a2 += ":" + _hash(algorithm, target.body or b"")
        ha2 = _hash(algorithm, a2)
        if qop:
            response = _hash(algorithm, f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")
        else:
            response = _hash(algorithm, f"{ha1}:{nonce}:{ha2}")
        current().secret(response)
        fields = [
            f'username="{user}"',
            f'realm="{realm}"',
            f'nonce="{nonce}"',
            f'uri="{uri}"',
            f"algorithm={algorithm}",
            f'response="{response}"',
        ]
        if qop:
            fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        if ch.get("opaque"):
            fields.append(f'opaque="{ch["opaque"]}"')
        return "Digest " + ", ".join(fields)
