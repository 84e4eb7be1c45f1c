"""``ntlm``: NTLM challenge-response through pyspnego (a maintained NTLM implementation).

The negotiate message goes with the first request; the server's 401 carries the challenge,
answered once by ``retry`` with the authenticate message on the same kept-alive connection.
Postman's ``workstation`` parameter is not sent (pyspnego uses the machine's name).
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

from wirecall.core.auth.base import AuthScheme, AuthTarget, flag, require, text
from wirecall.core.errors import AuthError

PREFIX = "NTLM "


class Ntlm(AuthScheme):
    name = "ntlm"
    secret_params = ("password",)

    def __init__(self) -> None:
        self._context: Any = None
        self._answered = False

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        import spnego

        (username,) = require(self.name, params, "username")
        domain = text(params, "domain")
        self._context = spnego.client(
            f"{domain}\\{username}" if domain else username,
            text(params, "password"),
            hostname=urlsplit(target.url).hostname or "localhost",
            protocol="ntlm",
        )
        target.set_header("Authorization", PREFIX + base64.b64encode(self._context.step()).decode())

    async def retry(self, params: dict[str, Any], target: AuthTarget, response: Any) -> bool:
        if self._answered or self._context is None or response.code != 401 or flag(params, "disableRetryRequest"):
            return False
        challenge = next(
            (v[len(PREFIX):].strip() for k, v in response.headers
             if k.lower() == "www-authenticate" and v.upper().startswith(PREFIX)),
            None,
        )  # fmt: skip
        if not challenge:
            return False
        try:
            answer = self._context.step(base64.b64decode(challenge))
        except Exception as exc:  # pyspnego raises its own tree for malformed challenges
            raise AuthError(f"ntlm auth: the server's challenge was refused: {exc}") from exc
        self._answered = True
        target.set_header("Authorization", PREFIX + base64.b64encode(answer).decode())
        return True
