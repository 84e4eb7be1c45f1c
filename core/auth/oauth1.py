"""``oauth1``: RFC 5849 signatures (HMAC-SHA1/256/512, RSA-SHA1/256/512, PLAINTEXT).

Parameters go to the ``Authorization: OAuth`` header (``addParamsToHeader``, the default),
else into a form body when the request has one, else into the query string, as Postman does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from wirecall.core.auth.base import AuthScheme, AuthTarget, flag, require, text
from wirecall.core.auth.context import current
from wirecall.core.errors import AuthError

_HASHES = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
_FORM = "application/x-www-form-urlencoded"


def encode(value: str) -> str:
    """RFC 5849 3.6 percent-encoding: everything but unreserved characters."""
    return quote(value, safe="-._~")


def base_string_uri(url: str) -> str:
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path or '/'}"


def signature_base_string(method: str, url: str, params: list[tuple[str, str]]) -> str:
    """RFC 5849 3.4.1: METHOD & encoded base URI & encoded, sorted, encoded parameters."""
    pairs = sorted((encode(k), encode(v)) for k, v in params)
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    return "&".join((method.upper(), encode(base_string_uri(url)), encode(normalized)))


def sign_base_string(
    method: str, base: str, consumer_secret: str, token_secret: str, private_key: str = ""
) -> str:
    key = f"{encode(consumer_secret)}&{encode(token_secret)}"
    if method == "PLAINTEXT":
        return key
    family, _, digest = method.partition("-")
    hash_fn = _HASHES.get(digest)
    if hash_fn is None or family not in ("HMAC", "RSA"):
        raise AuthError(f"oauth1 auth: unsupported signatureMethod {method!r}")
    if family == "HMAC":
        raw = hmac.new(key.encode(), base.encode(), hash_fn).digest()
    else:
        raw = _rsa_sign(private_key, base.encode(), digest)
    return base64.b64encode(raw).decode("ascii")


def _rsa_sign(pem: str, data: bytes, digest: str) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    if not pem:
        raise AuthError("oauth1 auth: missing parameter 'privateKey' for RSA signing")
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except ValueError as exc:
        raise AuthError(f"oauth1 auth: privateKey is not a PEM private key ({exc})") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise AuthError("oauth1 auth: privateKey must be an RSA key")
    algorithm = {"SHA1": hashes.SHA1(), "SHA256": hashes.SHA256(), "SHA512": hashes.SHA512()}[
        digest
    ]
    return key.sign(data, padding.PKCS1v15(), algorithm)


class OAuth1(AuthScheme):
    name = "oauth1"
    secret_params = ("consumerSecret", "tokenSecret", "privateKey")

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        (consumer_key,) = require(self.name, params, "consumerKey")
        method = text(params, "signatureMethod", "HMAC-SHA1").upper()
        oauth = self.oauth_params(params, consumer_key, method)
        body = target.body or b""
        is_form = (target.header("Content-Type") or "").split(";")[0].strip().lower() == _FORM
        if flag(params, "includeBodyHash") and body and not is_form and method != "PLAINTEXT":
            digest = _HASHES.get(method.partition("-")[2], hashlib.sha1)(body).digest()
            oauth["oauth_body_hash"] = base64.b64encode(digest).decode("ascii")
        signed = list(oauth.items()) + parse_qsl(urlsplit(target.url).query, keep_blank_values=True)
        if is_form:
            signed += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        base = signature_base_string(target.method, target.url, signed)
        signature = sign_base_string(
            method,
            base,
            text(params, "consumerSecret"),
            text(params, "tokenSecret"),
            text(params, "privateKey"),
        )
        current().secret(signature)
        oauth["oauth_signature"] = signature
        self._place(params, target, oauth, is_form)

    @staticmethod
    def oauth_params(params: dict[str, Any], consumer_key: str, method: str) -> dict[str, str]:
        """The ``oauth_*`` parameters; empty optional ones only with addEmptyParamsToSign."""
        values = {
            "oauth_consumer_key": consumer_key,
            "oauth_token": text(params, "token"),
            "oauth_signature_method": method,
            "oauth_timestamp": text(params, "timestamp") or str(int(time.time())),
            "oauth_nonce": text(params, "nonce")
            or base64.b32encode(os.urandom(10)).decode().lower(),
            "oauth_version": text(params, "version"),
            "oauth_callback": text(params, "callback"),
            "oauth_verifier": text(params, "verifier"),
        }
        keep_empty = flag(params, "addEmptyParamsToSign")
        optional = ("oauth_token", "oauth_version", "oauth_callback", "oauth_verifier")
        return {k: v for k, v in values.items() if v or keep_empty or k not in optional}

    @staticmethod
    def _place(
        params: dict[str, Any], target: AuthTarget, oauth: dict[str, str], is_form: bool
    ) -> None:
        if flag(params, "addParamsToHeader", True):
            realm = text(params, "realm")
            raw = flag(params, "disableHeaderEncoding")
            fields = [f'realm="{realm}"'] if realm else []
            fields += [f'{k}="{v if raw else encode(v)}"' for k, v in oauth.items()]
            target.set_header("Authorization", "OAuth " + ",".join(fields))
        elif is_form:
            add = getattr(target, "add_form_field", None)
            if add is None:
                raise AuthError(
                    "oauth1 auth cannot put its oauth_* parameters in the form body with protocol "
                    f"{target.protocol}: its requests cannot take extra form fields",
                    hint="set addParamsToHeader to true to send them in the Authorization header",
                )
            for key, value in oauth.items():
                add(key, value)
        else:
            for key, value in oauth.items():
                target.set_query(key, value)
