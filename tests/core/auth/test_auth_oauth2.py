"""OAuth2: token use, every grant against the test server's token endpoint, caching, refresh."""

import base64
import os

import httpx
import pytest
from wirecall.core.auth.context import auth_run
from wirecall.core.auth.oauth2 import OAuth2
from wirecall.core.auth.oauth2_grants import pkce_pair
from wirecall.core.errors import AuthError
from wirecall.core.masking import Masker
from wirecall.core.vault import Vault
from wirecall.core.vault.keys import from_text

from tests.core.auth.authwire import WireTarget, send


def grant(server: str, kind: str, **extra: str) -> dict[str, str]:
    return {
        "grant_type": kind,
        "accessTokenUrl": f"{server}/oauth2/token",
        "clientId": "cli",
        "clientSecret": "s3cret",
        "scope": "read",
        **extra,
    }


async def browser(url: str) -> None:
    """The test plays the user's browser: open the auth URL and follow the redirect home."""
    async with httpx.AsyncClient(follow_redirects=True) as client:
        (await client.get(url)).raise_for_status()


async def test_a_given_access_token_is_sent_with_its_prefix_or_in_the_query(auth_server):
    echoed = (
        await send(
            OAuth2(), {"accessToken": "tok", "headerPrefix": "Token"}, "GET", auth_server + "/echo"
        )
    ).json()
    assert echoed["headers"]["authorization"] == "Token tok"
    echoed = (
        await send(
            OAuth2(),
            {"accessToken": "tok", "addTokenTo": "queryParams"},
            "GET",
            auth_server + "/echo",
        )
    ).json()
    assert echoed["query"] == "access_token=tok"


@pytest.mark.parametrize("client_auth", ["header", "body"])
async def test_client_credentials(auth_server, client_auth):
    with auth_run():
        response = await send(
            OAuth2(),
            grant(auth_server, "client_credentials", client_authentication=client_auth),
            "GET",
            auth_server + "/oauth2/resource",
        )
    assert response.json() == {"grant": "client_credentials"}


async def test_password_grant_and_its_error(auth_server):
    with auth_run():
        ok = await send(
            OAuth2(),
            grant(auth_server, "password", username="alice", password="wonderland"),
            "GET",
            auth_server + "/oauth2/resource",
        )
        assert ok.json() == {"grant": "password"}
    refused = r"token endpoint .* answered 400: invalid_grant wrong username"
    with auth_run(), pytest.raises(AuthError, match=refused):
        await send(
            OAuth2(),
            grant(auth_server, "password", username="alice", password="x"),
            "GET",
            auth_server + "/oauth2/resource",
        )


async def test_authorization_code_with_pkce_through_the_loopback_listener(auth_server):
    params = grant(
        auth_server,
        "authorization_code",
        authUrl=f"{auth_server}/oauth2/authorize",
        clientSecret="",
    )
    with auth_run(browser=browser):
        response = await send(OAuth2(), params, "GET", auth_server + "/oauth2/resource")
    assert response.json() == {"grant": "authorization_code"}


def test_pkce_s256_matches_rfc7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_pair(verifier) == (verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")


async def test_the_token_is_fetched_once_per_run_and_masked(auth_server):
    masker = Masker()
    params = grant(auth_server, "client_credentials")
    with auth_run(masker=masker):
        first = (await send(OAuth2(), params, "GET", auth_server + "/echo")).json()["headers"][
            "authorization"
        ]
        second = (await send(OAuth2(), params, "GET", auth_server + "/echo")).json()["headers"][
            "authorization"
        ]
    assert first == second and masker.mask(first) == "Bearer ********"
    with auth_run():
        third = (await send(OAuth2(), params, "GET", auth_server + "/echo")).json()["headers"][
            "authorization"
        ]
    assert third != first  # a new run fetches its own token


async def test_an_expired_token_is_refreshed_before_use(auth_server):
    params = grant(
        auth_server,
        "client_credentials",
        accessTokenUrl=f"{auth_server}/oauth2/token?expires_in=0",
        refreshTokenUrl=f"{auth_server}/oauth2/token",
    )  # fetched tokens expire at once, refreshed ones live
    with auth_run():
        await send(OAuth2(), params, "GET", auth_server + "/echo")
        response = await send(OAuth2(), params, "GET", auth_server + "/oauth2/resource")
    assert response.json() == {"grant": "refresh_token"}


async def test_a_refused_token_is_refreshed_once_and_the_request_resent(auth_server):
    params = grant(auth_server, "client_credentials")
    with auth_run() as context:
        await send(OAuth2(), params, "GET", auth_server + "/oauth2/resource")
        (token,) = context.state.values()
        async with httpx.AsyncClient() as client:
            await client.post(f"{auth_server}/oauth2/revoke", data={"token": token.access_token})
        response = await send(OAuth2(), params, "GET", auth_server + "/oauth2/resource")
    assert response.json() == {"grant": "refresh_token"}


async def test_a_failed_refresh_fails_with_the_token_endpoint_error(auth_server):
    params = grant(auth_server, "client_credentials")
    with auth_run() as context:
        await send(OAuth2(), params, "GET", auth_server + "/oauth2/resource")
        (token,) = context.state.values()
        async with httpx.AsyncClient() as client:
            await client.post(
                f"{auth_server}/oauth2/revoke", data={"token": token.access_token, "refresh": "all"}
            )
        with pytest.raises(AuthError, match="answered 400: invalid_grant refresh token is invalid"):
            await send(OAuth2(), params, "GET", auth_server + "/oauth2/resource")


async def test_opt_in_vault_cache_survives_the_run(auth_server, tmp_path):
    key = from_text(base64.b64encode(os.urandom(32)).decode(), "test")
    params = grant(auth_server, "client_credentials", cacheTokenInVault="true")
    with auth_run(vault=Vault(tmp_path / "vault.bin", key=key)):
        first = (await send(OAuth2(), params, "GET", auth_server + "/echo")).json()["headers"][
            "authorization"
        ]
    with auth_run(vault=Vault(tmp_path / "vault.bin", key=key)):
        second = (await send(OAuth2(), params, "GET", auth_server + "/echo")).json()["headers"][
            "authorization"
        ]
    assert first == second
    assert first.split()[1].encode() not in (tmp_path / "vault.bin").read_bytes()


async def test_missing_token_and_token_url_names_both():
    with pytest.raises(
        AuthError, match="oauth2 auth: missing parameter 'accessToken' \\(or 'accessTokenUrl'"
    ):
        await OAuth2().sign({}, WireTarget("GET", "http://127.0.0.1/"))
