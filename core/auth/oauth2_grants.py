"""OAuth2 token endpoint calls: client_credentials, password, authorization_code (+PKCE), refresh.

httpx is imported here lazily: only a run that actually fetches a token pays for it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from wirecall.core.auth.base import require, text
from wirecall.core.auth.loopback import RedirectListener
from wirecall.core.errors import AuthError

EXPIRY_SKEW_S = 10  # refresh a little early rather than send a token that dies on the way
AUTHORIZE_TIMEOUT_S = 300.0
Browser = Callable[[str], Awaitable[None] | None]


@dataclass
class Token:
    access_token: str
    refresh_token: str = ""
    expires_at: float | None = None
    token_type: str = "Bearer"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and time.time() >= self.expires_at - EXPIRY_SKEW_S

    def to_json(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "token_type": self.token_type,
        }


def pkce_pair(verifier: str = "", method: str = "S256") -> tuple[str, str]:
    """(code_verifier, code_challenge) as RFC 7636 defines them."""
    verifier = verifier or base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    if method == "plain":
        return verifier, verifier
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def fetch_token(params: dict[str, Any], browser: Browser) -> Token:
    """Run the grant named by ``grant_type`` against ``accessTokenUrl``."""
    grant = text(params, "grant_type", "client_credentials")
    (url,) = require("oauth2", params, "accessTokenUrl")
    form: dict[str, str] = {"grant_type": grant}
    if grant == "password":
        form["username"], form["password"] = require("oauth2", params, "username", "password")
    elif grant == "authorization_code":
        form.update(await _authorize(params, browser))
    elif grant != "client_credentials":
        raise AuthError(
            f"oauth2 auth: unsupported grant_type {grant!r} "
            "(client_credentials, password, authorization_code)"
        )
    if text(params, "scope") and grant != "authorization_code":
        form["scope"] = text(params, "scope")
    return await _token_request(url, form, params)


async def refresh(params: dict[str, Any], token: Token) -> Token:
    url = text(params, "refreshTokenUrl") or require("oauth2", params, "accessTokenUrl")[0]
    new = await _token_request(
        url, {"grant_type": "refresh_token", "refresh_token": token.refresh_token}, params
    )
    new.refresh_token = new.refresh_token or token.refresh_token
    return new


async def _authorize(params: dict[str, Any], browser: Browser) -> dict[str, str]:
    """Authorization code with PKCE: open the auth URL, catch the redirect on a loopback port."""
    auth_url, client_id = require("oauth2", params, "authUrl", "clientId")
    redirect = urlsplit(text(params, "redirect_uri", "http://127.0.0.1:0/callback"))
    if redirect.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise AuthError(
            f"oauth2 auth: redirect_uri must be a loopback address, not {redirect.hostname}"
        )
    method = text(params, "challengeAlgorithm", "S256")
    verifier, challenge = pkce_pair(text(params, "code_verifier"), method)
    state = text(params, "state") or base64.urlsafe_b64encode(os.urandom(12)).decode()
    async with RedirectListener(redirect.port or 0, redirect.path or "/callback") as listener:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": listener.redirect_uri,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": method,
        }
        if text(params, "scope"):
            query["scope"] = text(params, "scope")
        pending = browser(f"{auth_url}{'&' if '?' in auth_url else '?'}{urlencode(query)}")
        if pending is not None:
            await pending
        try:
            answer = await listener.wait(
                float(text(params, "authTimeout", str(AUTHORIZE_TIMEOUT_S)))
            )
        except TimeoutError:
            raise AuthError(
                "oauth2 auth: no authorization response reached the loopback listener"
            ) from None
    if "error" in answer:
        detail = f"{answer['error']} {answer.get('error_description', '')}".strip()
        raise AuthError(f"oauth2 auth: authorization failed: {detail}")
    if answer.get("state") != state:
        raise AuthError("oauth2 auth: the authorization response carried the wrong state")
    if not answer.get("code"):
        raise AuthError("oauth2 auth: the authorization response carried no code")
    return {
        "code": answer["code"],
        "redirect_uri": listener.redirect_uri,
        "code_verifier": verifier,
    }


async def _token_request(url: str, form: dict[str, str], params: dict[str, Any]) -> Token:
    import httpx

    client_id, secret = text(params, "clientId"), text(params, "clientSecret")
    auth = None
    if text(params, "client_authentication", "header") == "body" or not secret:
        form = {**form, "client_id": client_id} if client_id else form
        if secret:
            form["client_secret"] = secret
    else:
        auth = httpx.BasicAuth(client_id, secret)
    try:
        async with httpx.AsyncClient(timeout=30.0) as client:
            response = await client.post(
                url, data=form, auth=auth, headers={"Accept": "application/json"}
            )
    except httpx.HTTPError as exc:
        raise AuthError(f"oauth2 auth: token request to {url} failed: {exc}") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400 or not isinstance(body, dict) or "access_token" not in body:
        detail = (
            " ".join(str(body.get(k, "")) for k in ("error", "error_description")).strip()
            if isinstance(body, dict)
            else ""
        )
        raise AuthError(
            f"oauth2 auth: token endpoint {url} answered {response.status_code}"
            + (f": {detail}" if detail else "")
        )
    expires_in = body.get("expires_in")
    return Token(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or ""),
        expires_at=time.time() + float(expires_in) if expires_in not in (None, "") else None,
        token_type=str(body.get("token_type") or "Bearer"),
    )
