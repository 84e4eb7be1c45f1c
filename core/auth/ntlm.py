"""``ntlm``: not available. NTLM needs a maintained protocol library (pyspnego); wirecall does
not ship one, so an item using it fails with a clear error instead of sending a bad handshake."""

from __future__ import annotations

from typing import Any

from wirecall.core.auth.base import AuthScheme, AuthTarget
from wirecall.core.errors import AuthError


class Ntlm(AuthScheme):
    name = "ntlm"
    secret_params = ("password",)

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        raise AuthError(
            "ntlm auth requires an NTLM protocol library (pyspnego), "
            "which wirecall does not include",
            hint="use basic, digest or a token-based auth type, "
            "or put the request behind a proxy that does NTLM",
        )
