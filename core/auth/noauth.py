"""``noauth``: send no credentials (it also stops inheritance, see inherit.py)."""

from __future__ import annotations

from typing import Any

from wirecall.core.auth.base import AuthScheme, AuthTarget


class NoAuth(AuthScheme):
    name = "noauth"

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        return None
