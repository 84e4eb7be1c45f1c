"""``oauth2``: send an access token; fetch, cache and refresh it when the block says how.

With ``accessToken`` set, the token is used as is (what Postman's runtime does). Without it,
``grant_type`` + ``accessTokenUrl`` (and the grant's own parameters) fetch one; it is cached
for the run, refreshed when expired or refused with 401, and, with the wirecall-only
parameter ``cacheTokenInVault: true``, kept in the vault between runs.
"""

from __future__ import annotations

import hashlib
import json
import sys
import webbrowser
from typing import Any

from wirecall.core.auth import oauth2_grants as grants
from wirecall.core.auth.base import AuthScheme, AuthTarget, flag, put_token, text
from wirecall.core.auth.context import current
from wirecall.core.errors import AuthError

VAULT_PREFIX = "oauth2-token:"


def open_browser(url: str) -> None:
    """Default browser hook: print the URL (for headless machines) and try a browser."""
    print(f"Open this URL to authorize: {url}", file=sys.stderr)
    webbrowser.open(url)


def cache_key(params: dict[str, Any]) -> str:
    fields = [
        text(params, k)
        for k in ("accessTokenUrl", "authUrl", "clientId", "grant_type", "scope", "username")
    ]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:24]


class OAuth2(AuthScheme):
    name = "oauth2"
    secret_params = ("accessToken", "clientSecret", "password", "refreshToken")

    def __init__(self) -> None:
        self._fetched: grants.Token | None = None
        self._retried = False

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        token = text(params, "accessToken")
        if not token:
            self._fetched = await self._token(params)
            token = self._fetched.access_token
        in_query = text(params, "addTokenTo", "header") in ("queryParams", "queryParam")
        put_token(
            target,
            token,
            prefix=text(params, "headerPrefix", "Bearer"),
            in_query=in_query,
            query_key="access_token",
        )

    async def retry(self, params: dict[str, Any], target: AuthTarget, response: Any) -> bool:
        """A 401 for a fetched token with a refresh token: refresh once and resend."""
        fetched = self._fetched
        if self._retried or response.code != 401 or fetched is None or not fetched.refresh_token:
            return False
        self._retried = True
        self._store(params, await grants.refresh(params, fetched))
        await self.sign(params, target)
        return True

    async def _token(self, params: dict[str, Any]) -> grants.Token:
        if not text(params, "accessTokenUrl"):
            raise AuthError(
                "oauth2 auth: missing parameter 'accessToken' (or 'accessTokenUrl' to fetch one)"
            )
        token = current().state.get(("oauth2", cache_key(params))) or self._from_vault(params)
        if token is not None and token.expired and token.refresh_token:
            token = await grants.refresh(params, token)
        elif token is None or token.expired:
            token = await grants.fetch_token(params, current().browser or open_browser)
        else:
            return token
        self._store(params, token)
        return token

    def _store(self, params: dict[str, Any], token: grants.Token) -> None:
        context = current()
        context.secret(token.access_token)
        context.secret(token.refresh_token)
        context.state[("oauth2", cache_key(params))] = token
        if flag(params, "cacheTokenInVault"):
            self._vault().set(VAULT_PREFIX + cache_key(params), json.dumps(token.to_json()))

    def _from_vault(self, params: dict[str, Any]) -> grants.Token | None:
        if not flag(params, "cacheTokenInVault"):
            return None
        stored = self._vault().get(VAULT_PREFIX + cache_key(params))
        if not stored:
            return None
        token = grants.Token(**json.loads(stored))
        current().secret(token.access_token)
        current().secret(token.refresh_token)
        return token

    @staticmethod
    def _vault() -> Any:
        vault = current().vault
        if vault is None:
            raise AuthError("oauth2 auth: cacheTokenInVault needs the vault, and this run has none")
        return vault
