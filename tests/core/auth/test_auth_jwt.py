"""JWT bearer: tokens verified with cryptography (HS/RS/PS/ES), claims from variables, placement."""

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from wirecall.core.auth.jwt import Jwt
from wirecall.core.errors import AuthError
from wirecall.core.variables import Variables, VariableScope

from tests.core.auth.authwire import WireTarget, send


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


async def _token(params: dict) -> tuple[dict, dict, bytes, bytes]:
    target = WireTarget("GET", "http://127.0.0.1/")
    await Jwt().sign(params, target)
    token = target.headers["Authorization"].split(" ", 1)[1]
    header, payload, signature = token.split(".")
    return (
        json.loads(_b64(header)),
        json.loads(_b64(payload)),
        f"{header}.{payload}".encode(),
        _b64(signature),
    )


@pytest.mark.parametrize("bits", ["256", "384", "512"])
async def test_hs_tokens_verify(bits):
    header, payload, signed, signature = await _token(
        {"algorithm": f"HS{bits}", "secret": "s3cret", "payload": '{"sub": "alice"}'}
    )
    assert header == {"alg": f"HS{bits}", "typ": "JWT"} and payload == {"sub": "alice"}
    assert hmac.compare_digest(
        signature, hmac.new(b"s3cret", signed, getattr(hashlib, f"sha{bits}")).digest()
    )


async def test_base64_secret():
    *_, signed, signature = await _token(
        {
            "algorithm": "HS256",
            "secret": base64.b64encode(b"\x00raw").decode(),
            "isSecretBase64Encoded": True,
        }
    )
    assert signature == hmac.new(b"\x00raw", signed, hashlib.sha256).digest()


@pytest.mark.parametrize("alg", ["RS256", "RS512", "PS256", "PS384"])
async def test_rsa_tokens_verify_with_the_public_key(alg):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    *_, signed, signature = await _token(
        {"algorithm": alg, "privateKey": _pem(key), "payload": "{}"}
    )
    digest = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[alg[2:]]
    pad = (
        padding.PKCS1v15()
        if alg.startswith("RS")
        else padding.PSS(padding.MGF1(digest), digest.digest_size)
    )
    key.public_key().verify(signature, signed, pad, digest)


@pytest.mark.parametrize(
    ("alg", "curve", "digest"),
    [
        ("ES256", ec.SECP256R1(), hashes.SHA256()),
        ("ES384", ec.SECP384R1(), hashes.SHA384()),
        ("ES512", ec.SECP521R1(), hashes.SHA512()),
    ],
)
async def test_ec_tokens_verify_with_the_public_key(alg, curve, digest):
    key = ec.generate_private_key(curve)
    *_, signed, signature = await _token({"algorithm": alg, "privateKey": _pem(key)})
    half = len(signature) // 2
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    )
    key.public_key().verify(der, signed, ec.ECDSA(digest))


async def test_claims_use_variables_resolved_before_signing(auth_server):
    variables = Variables(
        environment=VariableScope("environment", {"user": "alice", "tenant": "t-1"})
    )
    block = {
        "algorithm": "HS256",
        "secret": "s",
        "payload": '{"sub": "{{user}}", "tenant": "{{tenant}}"}',
        "header": '{"kid": "key-{{tenant}}"}',
        "headerPrefix": "JWT",
    }
    echoed = (await send(Jwt(), variables.resolve_tree(block), "GET", auth_server + "/echo")).json()
    prefix, token = echoed["headers"]["authorization"].split(" ")
    assert prefix == "JWT"
    assert json.loads(_b64(token.split(".")[0]))["kid"] == "key-t-1"
    assert json.loads(_b64(token.split(".")[1])) == {"sub": "alice", "tenant": "t-1"}


async def test_query_placement(auth_server):
    params = {
        "algorithm": "HS256",
        "secret": "s",
        "addTokenTo": "queryParam",
        "queryParamKey": "jwt",
    }
    echoed = (await send(Jwt(), params, "GET", auth_server + "/echo")).json()
    assert echoed["query"].startswith("jwt=eyJ") and "authorization" not in echoed["headers"]


async def test_bad_payload_json_names_the_parameter():
    with pytest.raises(AuthError, match="jwt auth: payload is not valid JSON"):
        await Jwt().sign(
            {"algorithm": "HS256", "secret": "s", "payload": "{sub:"},
            WireTarget("GET", "http://h/"),
        )
    with pytest.raises(AuthError, match="jwt auth: missing parameter 'privateKey' for RS256"):
        await Jwt().sign({"algorithm": "RS256"}, WireTarget("GET", "http://h/"))
