"""Hawk: the examples from the Hawk specification's README, then the test server's verifier."""

from wirecall.core.auth.hawk import Hawk

from tests.core.auth.authwire import WireTarget, send

CREDENTIALS = {
    "authId": "dh37fgj492je",
    "authKey": "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn",
    "algorithm": "sha256",
}
EXAMPLE = {
    **CREDENTIALS,
    "timestamp": "1353832234",
    "nonce": "j4h3g2",
    "extraData": "some-app-ext-data",
}


async def test_published_header_example():
    target = WireTarget("GET", "http://example.com:8000/resource/1?b=1&a=2")
    await Hawk().sign(EXAMPLE, target)
    assert target.headers["Authorization"] == (
        'Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", ext="some-app-ext-data", '
        'mac="6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE="'
    )


async def test_published_payload_example():
    target = WireTarget(
        "POST",
        "http://example.com:8000/resource/1?b=1&a=2",
        {"Content-Type": "text/plain"},
        b"Thank you for flying Hawk",
    )
    await Hawk().sign({**EXAMPLE, "includePayloadHash": True}, target)
    header = target.headers["Authorization"]
    assert 'hash="Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY="' in header
    assert 'mac="aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw="' in header


async def test_the_server_verifies_mac_payload_hash_and_app(auth_server):
    params = {
        **CREDENTIALS,
        "includePayloadHash": True,
        "extraData": "x",
        "app": "app1",
        "delegation": "d",
    }
    response = await send(
        Hawk(),
        params,
        "PUT",
        auth_server + "/hawk?q=1",
        {"Content-Type": "application/json; charset=utf-8"},
        b'{"a": 1}',
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"id": "dh37fgj492je", "ext": "x", "hash_checked": True}


async def test_a_wrong_key_is_refused(auth_server):
    response = await send(Hawk(), {**CREDENTIALS, "authKey": "wrong"}, "GET", auth_server + "/hawk")
    assert response.status_code == 401
