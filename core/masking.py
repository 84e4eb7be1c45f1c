"""Masker: the one place where secrets are replaced before anything is printed or written."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "********"
_MIN_SECRET_LENGTH = 3  # masking "a" everywhere would shred every output
_QUERY_SAFE = "!$&'()*+,;=:@/?"  # what a client may leave unescaped in a query string


def encoded_forms(secret: str) -> set[str]:
    """The secret as written and as it shows once put in a URL or inside a JSON string.

    A secret sent in a query string comes back percent-encoded in reports, and one echoed
    in a JSON response body comes back with its quotes, backslashes or non-ASCII escaped.
    """
    return {
        secret,
        quote(secret, safe=""),
        quote(secret, safe=_QUERY_SAFE),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


class Masker:
    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def register(self, secret: Any) -> None:
        text = "" if secret is None else str(secret)
        if len(text) >= _MIN_SECRET_LENGTH:
            self._secrets.update(encoded_forms(text))

    def mask(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def mask_bytes(self, data: bytes) -> bytes:
        """Mask the UTF-8 form of every secret inside raw bytes (a response body)."""
        mask = MASK.encode()
        for secret in sorted(self._secrets, key=len, reverse=True):
            data = data.replace(secret.encode("utf-8"), mask)
        return data

    def mask_tree(self, value: Any) -> Any:
        """Mask every string inside a JSON-like structure (keys are left alone).

        Node-style buffers (``{"type": "Buffer", "data": [bytes]}``, Newman's response
        ``stream``) are masked as bytes, so a secret echoed in a body cannot hide as numbers.
        """
        if not self._secrets:  # nothing to hide: no copy of a whole run report
            return value
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, dict):
            if _is_buffer(value):
                return {**value, "data": list(self.mask_bytes(bytes(value["data"])))}
            return {k: self.mask_tree(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask_tree(v) for v in value]
        return value

    def __bool__(self) -> bool:
        return bool(self._secrets)


def _is_buffer(value: dict[str, Any]) -> bool:
    data = value.get("data")
    return (
        value.get("type") == "Buffer"
        and isinstance(data, list)
        and all(isinstance(b, int) and 0 <= b < 256 for b in data)
    )
