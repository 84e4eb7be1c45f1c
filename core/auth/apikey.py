"""``apikey``: a key/value pair in a header (default) or in the query string."""

from __future__ import annotations

from typing import Any

from wirecall.core.auth.base import AuthScheme, AuthTarget, require, text
from wirecall.core.errors import AuthError


class ApiKey(AuthScheme):
    name = "apikey"
    secret_params = ("value",)

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        key, value = require(self.name, params, "key", "value")
        where = text(params, "in", "header")
        if where == "header":
            target.set_header(key, value)
        elif where == "query":
            target.set_query(key, value)
        else:
            raise AuthError(f"apikey auth: 'in' must be 'header' or 'query', not {where!r}")
