"""``bearer``: ``Authorization: Bearer <token>`` (gRPC gets it as ``authorization`` metadata)."""

from __future__ import annotations

from typing import Any

from wirecall.core.auth.base import AuthScheme, AuthTarget, put_token, require


class Bearer(AuthScheme):
    name = "bearer"
    secret_params = ("token",)

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        (token,) = require(self.name, params, "token")
        put_token(target, token, prefix="Bearer", in_query=False, query_key="")
