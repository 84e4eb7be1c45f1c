"""``awsv4``: AWS Signature Version 4, in the Authorization header or in the query string.

Signed headers are ``host``, ``content-type`` when present and the ``x-amz-*`` headers this
scheme adds. A request that already carries ``X-Amz-Date`` keeps it (reproducible signatures);
so does the wirecall-only ``timestamp`` parameter (``20150830T123600Z``).
"""

from __future__ import annotations

import hashlib
import hmac
import posixpath
import time
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from wirecall.core.auth.base import AuthScheme, AuthTarget, flag, require, text
from wirecall.core.auth.context import current

ALGORITHM = "AWS4-HMAC-SHA256"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, data: str) -> bytes:
    return hmac.new(key, data.encode(), hashlib.sha256).digest()


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical_uri(path: str, service: str) -> str:
    """S3 signs the path as sent; other services normalise it and encode it again."""
    if service == "s3":
        return path or "/"
    normalized = posixpath.normpath(path or "/") if path not in ("", "/") else "/"
    if path.endswith("/") and normalized != "/":
        normalized += "/"
    return quote(normalized, safe="/~")


def canonical_query(query: str) -> str:
    pairs = sorted((_encode(k), _encode(v)) for k, v in parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{k}={v}" for k, v in pairs)


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = _hmac(("AWS4" + secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def host_of(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (
        ("http", 80),
        ("https", 443),
        ("ws", 80),
        ("wss", 443),
    ):
        host = f"{host}:{parts.port}"
    return host


class AwsV4(AuthScheme):
    name = "awsv4"
    secret_params = ("secretKey", "sessionToken")

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        access_key, secret_key = require(self.name, params, "accessKey", "secretKey")
        region = text(params, "region", "us-east-1")
        service = text(params, "service", "execute-api")
        session = text(params, "sessionToken")
        stamp = target.header("X-Amz-Date") or text(params, "timestamp")
        stamp = stamp or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
        in_query = flag(params, "addAuthDataToQuery")
        url = target.url
        headers = {"host": host_of(target.url)}
        if target.header("Content-Type"):
            headers["content-type"] = target.header("Content-Type") or ""
        if in_query:
            payload_hash = "UNSIGNED-PAYLOAD" if service == "s3" else _sha256(target.body or b"")
            query = {
                "X-Amz-Algorithm": ALGORITHM,
                "X-Amz-Credential": f"{access_key}/{scope}",
                "X-Amz-Date": stamp,
                "X-Amz-Expires": text(params, "expires", "86400"),
            }
            if session:
                query["X-Amz-Security-Token"] = session
            query["X-Amz-SignedHeaders"] = ";".join(sorted(headers))
            for key, value in query.items():
                target.set_query(key, value)
            added = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in query.items())
            url = f"{url}{'&' if urlsplit(url).query else '?'}{added}"
        else:
            payload_hash = _sha256(target.body or b"")
            headers["x-amz-date"] = stamp
            if service == "s3":
                headers["x-amz-content-sha256"] = payload_hash
            if session:
                headers["x-amz-security-token"] = session
        signature = self.signature(
            target.method, url, headers, payload_hash, secret_key, scope, stamp, service
        )
        current().secret(signature)
        if in_query:
            target.set_query("X-Amz-Signature", signature)
            return
        for name in ("x-amz-date", "x-amz-content-sha256", "x-amz-security-token"):
            if name in headers and not target.header(name):
                target.set_header(name.title(), headers[name])
        target.set_header(
            "Authorization",
            f"{ALGORITHM} Credential={access_key}/{scope}, "
            f"SignedHeaders={';'.join(sorted(headers))}, Signature={signature}",
        )

    @staticmethod
    def signature(
        method: str,
        url: str,
        headers: dict[str, str],
        payload_hash: str,
        secret: str,
        scope: str,
        stamp: str,
        service: str,
    ) -> str:
        parts = urlsplit(url)
        names = sorted(headers)
        canonical = "\n".join(
            [
                method.upper(),
                canonical_uri(parts.path, service),
                canonical_query(parts.query),
                "".join(f"{n}:{' '.join(headers[n].split())}\n" for n in names),
                ";".join(names),
                payload_hash,
            ]
        )
        to_sign = "\n".join([ALGORITHM, stamp, scope, _sha256(canonical.encode())])
        date, region = scope.split("/")[0], scope.split("/")[1]
        return hmac.new(
            signing_key(secret, date, region, service), to_sign.encode(), hashlib.sha256
        ).hexdigest()
