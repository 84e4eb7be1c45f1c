"""Masker: the one place where secrets are replaced before anything is printed or written."""

from __future__ import annotations

from typing import Any

MASK = "********"
_MIN_SECRET_LENGTH = 3  # masking "a" everywhere would shred every output


class Masker:
    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def register(self, secret: Any) -> None:
        text = "" if secret is None else str(secret)
        if len(text) >= _MIN_SECRET_LENGTH:
            self._secrets.add(text)

    def mask(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def mask_tree(self, value: Any) -> Any:
        """Mask every string inside a JSON-like structure (keys are left alone)."""
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, dict):
            return {k: self.mask_tree(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask_tree(v) for v in value]
        return value

    def __bool__(self) -> bool:
        return bool(self._secrets)
