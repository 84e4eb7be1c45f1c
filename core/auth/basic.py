"""``basic``: RFC 7617 on HTTP-like protocols; the CONNECT username/password on MQTT."""

from __future__ import annotations

import base64
from typing import Any

from wirecall.core.auth.base import AuthScheme, AuthTarget, require, text
from wirecall.core.auth.context import current

CREDENTIAL_PROTOCOLS = frozenset({"mqtt"})  # protocols with their own username/password fields


class Basic(AuthScheme):
    name = "basic"
    secret_params = ("password",)

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        (username,) = require(self.name, params, "username")
        password = text(params, "password")
        if target.protocol in CREDENTIAL_PROTOCOLS:
            target.set_credentials(username, password)
            return
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        current().secret(token)
        target.set_header("Authorization", f"Basic {token}")
