"""``jwt``: build and sign a JWT (HS*, RS*, PS*, ES* 256/384/512) and send it as a bearer token.

``payload`` and ``header`` are JSON strings (variables are resolved before signing, so claims
may use ``{{...}}``); the token goes to ``Authorization: <headerPrefix> <jwt>`` or to the
query parameter ``queryParamKey`` when ``addTokenTo`` is ``queryParam``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from wirecall.core.auth.base import AuthScheme, AuthTarget, flag, put_token, require, text
from wirecall.core.auth.context import current
from wirecall.core.errors import AuthError

_HASH_BITS = ("256", "384", "512")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json_param(params: dict[str, Any], name: str) -> dict[str, Any]:
    raw = params.get(name)
    if raw in (None, ""):
        return {}
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as exc:
        raise AuthError(
            f"jwt auth: {name} is not valid JSON ({exc.msg} at char {exc.pos})"
        ) from exc
    if not isinstance(value, dict):
        raise AuthError(f"jwt auth: {name} must be a JSON object")
    return value


def sign_jwt(algorithm: str, signing_input: bytes, secret: bytes, private_key: str) -> bytes:
    family, bits = algorithm[:2], algorithm[2:]
    if bits not in _HASH_BITS or family not in ("HS", "RS", "PS", "ES"):
        raise AuthError(f"jwt auth: unsupported algorithm {algorithm!r}")
    if family == "HS":
        return hmac.new(secret, signing_input, getattr(hashlib, f"sha{bits}")).digest()
    return _sign_asymmetric(family, bits, signing_input, private_key)


def _sign_asymmetric(family: str, bits: str, data: bytes, pem: str) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

    if not pem:
        raise AuthError(f"jwt auth: missing parameter 'privateKey' for {family}{bits}")
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except ValueError as exc:
        raise AuthError(f"jwt auth: privateKey is not a PEM private key ({exc})") from exc
    digest = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[bits]
    if family == "ES":
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise AuthError(f"jwt auth: ES{bits} needs an EC private key")
        r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(digest)))
        size = (key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise AuthError(f"jwt auth: {family}{bits} needs an RSA private key")
    if family == "PS":
        return key.sign(data, padding.PSS(padding.MGF1(digest), digest.digest_size), digest)
    return key.sign(data, padding.PKCS1v15(), digest)


class Jwt(AuthScheme):
    name = "jwt"
    secret_params = ("secret", "privateKey")

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        (algorithm,) = require(self.name, params, "algorithm")
        algorithm = algorithm.upper()
        if algorithm.startswith("HS"):
            (secret_text,) = require(self.name, params, "secret")
            secret = (
                base64.b64decode(secret_text)
                if flag(params, "isSecretBase64Encoded")
                else secret_text.encode()
            )
        else:
            secret = b""
        header = {"typ": "JWT", **_json_param(params, "header")}
        header = {"alg": algorithm, **{k: v for k, v in header.items() if k != "alg"}}
        payload = _json_param(params, "payload")
        signing_input = ".".join(
            b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
        ).encode()
        signature = sign_jwt(algorithm, signing_input, secret, text(params, "privateKey"))
        token = signing_input.decode() + "." + b64url(signature)
        current().secret(token)
        put_token(
            target,
            token,
            prefix=text(params, "headerPrefix", "Bearer"),
            in_query=text(params, "addTokenTo", "header") in ("queryParam", "queryParams"),
            query_key=text(params, "queryParamKey", "token"),
        )
