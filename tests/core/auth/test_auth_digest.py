"""Digest against a real challenge: 401 -> answer once; nonce counts rise across requests."""

import pytest
from wirecall.core.auth.context import auth_run
from wirecall.core.auth.digest import Digest, parse_challenge

from tests.core.auth.authwire import send

PARAMS = {"username": "alice", "password": "wonderland"}


@pytest.mark.parametrize("algorithm", ["MD5", "MD5-sess", "SHA-256"])
async def test_digest_answers_the_challenge(auth_server, algorithm):
    with auth_run():
        response = await send(Digest(), PARAMS, "GET", f"{auth_server}/digest/{algorithm}?x=1")
    assert response.status_code == 200
    assert response.json()["nc"] == 1


async def test_nonce_count_rises_across_requests_of_one_run(auth_server):
    url = f"{auth_server}/digest/MD5"
    with auth_run():
        first = (await send(Digest(), PARAMS, "GET", url)).json()
        second = (await send(Digest(), PARAMS, "POST", url)).json()
        third = (await send(Digest(), PARAMS, "GET", url)).json()
    assert [first["nc"], second["nc"], third["nc"]] == [1, 2, 3]
    assert first["nonce"] == second["nonce"] == third["nonce"]  # no new challenge was needed


async def test_wrong_password_is_retried_only_once(auth_server):
    with auth_run():
        response = await send(
            Digest(), {**PARAMS, "password": "nope"}, "GET", f"{auth_server}/digest/MD5"
        )
    assert response.status_code == 401


async def test_disable_retry_request_leaves_the_401(auth_server):
    with auth_run():
        response = await send(
            Digest(), {**PARAMS, "disableRetryRequest": True}, "GET", f"{auth_server}/digest/MD5"
        )
    assert response.status_code == 401


def test_challenge_parsing():
    assert parse_challenge(
        'Digest realm="a, b", qop="auth,auth-int", nonce=abc, algorithm=MD5'
    ) == {"realm": "a, b", "qop": "auth,auth-int", "nonce": "abc", "algorithm": "MD5"}
    assert parse_challenge('Basic realm="x"') is None
