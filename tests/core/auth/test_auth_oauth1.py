"""OAuth 1.0a: published signature vectors, and every placement verified by the test server."""

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from wirecall.core.auth.oauth1 import OAuth1, sign_base_string, signature_base_string
from wirecall.core.errors import AuthError

from tests.core.auth.authwire import WireTarget, send

# RFC 5849 section 1.2 (photos.example.net) and the Twitter developer docs "Creating a signature".
RFC_TOKEN_REQUEST = {
    "method": "GET",
    "url": "http://photos.example.net/photos?file=vacation.jpg&size=original",
    "params": {
        "consumerKey": "dpf43f3p2l4k3l03",
        "consumerSecret": "kd94hf93k423kf44",
        "token": "nnch734d00sl2jdk",
        "tokenSecret": "pfkkdhi9sl3r4s00",
        "timestamp": "137131202",
        "nonce": "chapoH",
        "realm": "Photos",
    },
}


async def test_rfc5849_example_signature_in_the_header():
    target = WireTarget(RFC_TOKEN_REQUEST["method"], RFC_TOKEN_REQUEST["url"])
    await OAuth1().sign(RFC_TOKEN_REQUEST["params"], target)
    header = target.headers["Authorization"]
    assert header.startswith('OAuth realm="Photos",oauth_consumer_key="dpf43f3p2l4k3l03"')
    assert 'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"' in header


async def test_rfc5849_temporary_credentials_example_with_callback():
    target = WireTarget("POST", "https://photos.example.net/initiate")
    params = {
        "consumerKey": "dpf43f3p2l4k3l03",
        "consumerSecret": "kd94hf93k423kf44",
        "timestamp": "137131200",
        "nonce": "wIjqoS",
        "callback": "http://printer.example.com/ready",
    }
    await OAuth1().sign(params, target)
    assert 'oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"' in target.headers["Authorization"]


async def test_twitter_docs_example_with_a_form_body():
    target = WireTarget(
        "POST",
        "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
        {"Content-Type": "application/x-www-form-urlencoded"},
        b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
    )
    await OAuth1().sign(
        {
            "consumerKey": "xvz1evFS4wEEPTGEFPHBog",
            "consumerSecret": "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            "tokenSecret": "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
            "nonce": "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
            "timestamp": "1318622958",
            "version": "1.0",
        },
        target,
    )
    assert 'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in target.headers["Authorization"]


SERVER_PARAMS = {"consumerKey": "ck", "consumerSecret": "cs", "token": "tk", "tokenSecret": "ts"}


@pytest.mark.parametrize("placement", ["header", "query", "body"])
async def test_the_server_verifies_each_placement(auth_server, placement):
    params = {**SERVER_PARAMS, "addParamsToHeader": placement == "header"}
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if placement == "body" else {}
    body = b"note=a+b%21&empty=" if placement == "body" else b""
    response = await send(
        OAuth1(), params, "POST", auth_server + "/oauth1?q=%7Ex&z=1", headers, body
    )
    assert response.status_code == 200, response.text
    assert "oauth_signature" in response.json()["params"]


def test_plaintext_is_the_encoded_secrets():
    assert sign_base_string("PLAINTEXT", "ignored", "c s", "t&s") == "c%20s&t%26s"


@pytest.mark.parametrize(
    ("method", "digest"),
    [("RSA-SHA1", hashes.SHA1()), ("RSA-SHA256", hashes.SHA256()), ("RSA-SHA512", hashes.SHA512())],
)
async def test_rsa_signatures_verify_with_the_public_key(method, digest):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    target = WireTarget("GET", "http://example.com/r?a=1")
    params = {
        "consumerKey": "ck",
        "signatureMethod": method,
        "privateKey": pem,
        "timestamp": "1",
        "nonce": "n",
    }
    await OAuth1().sign(params, target)
    oauth = dict(part.split("=", 1) for part in target.headers["Authorization"][6:].split(","))
    signature = base64.b64decode(
        oauth["oauth_signature"]
        .strip('"')
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=")
    )
    signed = [(k, v.strip('"')) for k, v in oauth.items() if k != "oauth_signature"] + [("a", "1")]
    base = signature_base_string("GET", "http://example.com/r", signed)
    key.public_key().verify(signature, base.encode(), padding.PKCS1v15(), digest)  # raises if wrong


@pytest.mark.parametrize("method", ["HMAC-SHA256", "HMAC-SHA512"])
async def test_hmac_sha2_signatures_differ_by_method(method):
    target = WireTarget("GET", "http://example.com/")
    await OAuth1().sign(
        {**SERVER_PARAMS, "signatureMethod": method, "timestamp": "1", "nonce": "n"}, target
    )
    assert f'oauth_signature_method="{method}"' in target.headers["Authorization"]


async def test_body_placement_on_a_target_without_form_fields_says_what_to_do():
    class NoFormTarget(WireTarget):
        add_form_field = None  # e.g. a protocol whose requests cannot take form fields

    target = NoFormTarget(
        "POST",
        "http://example.com/r",
        {"Content-Type": "application/x-www-form-urlencoded"},
        b"a=1",
    )
    params = {**SERVER_PARAMS, "addParamsToHeader": False}
    with pytest.raises(AuthError) as caught:
        await OAuth1().sign(params, target)
    assert str(caught.value) == (
        "oauth1 auth cannot put its oauth_* parameters in the form body with protocol http: "
        "its requests cannot take extra form fields "
        "(set addParamsToHeader to true to send them in the Authorization header)"
    )
