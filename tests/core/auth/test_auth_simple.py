"""basic, bearer, apikey and noauth, checked by the test server and on the wire."""

import pytest
from wirecall.core.auth.apikey import ApiKey
from wirecall.core.auth.basic import Basic
from wirecall.core.auth.bearer import Bearer
from wirecall.core.auth.context import auth_run
from wirecall.core.auth.noauth import NoAuth
from wirecall.core.errors import AuthError
from wirecall.core.masking import Masker
from wirecall.core.plugins import PluginHost

from tests.core.auth.authwire import WireTarget, send


def test_every_builtin_scheme_is_registered_under_its_postman_type():
    schemes = PluginHost(load_entry_points=False).auth_schemes
    assert set(schemes) >= {
        "noauth",
        "basic",
        "bearer",
        "apikey",
        "digest",
        "oauth1",
        "oauth2",
        "awsv4",
        "hawk",
        "jwt",
        "ntlm",
    }
    assert schemes["basic"].secret_params == ("password",)


async def test_basic_is_accepted_by_the_server(auth_server):
    response = await send(
        Basic(), {"username": "alice", "password": "wonderland"}, "GET", auth_server + "/basic"
    )
    assert response.status_code == 200
    refused = await send(
        Basic(), {"username": "alice", "password": "nope"}, "GET", auth_server + "/basic"
    )
    assert refused.status_code == 401


async def test_basic_header_is_masked_when_the_run_has_a_masker(auth_server):
    masker = Masker()
    with auth_run(masker=masker):
        response = await send(
            Basic(), {"username": "alice", "password": "wonderland"}, "GET", auth_server + "/echo"
        )
    sent = response.json()["headers"]["authorization"]
    assert masker.mask(sent) == "Basic ********"


async def test_basic_on_mqtt_sets_the_connect_credentials():
    target = WireTarget("CONNECT", "mqtt://127.0.0.1:1883", protocol="mqtt")
    await Basic().sign({"username": "alice", "password": "pw"}, target)
    assert target.credentials == ("alice", "pw") and "Authorization" not in target.headers


async def test_bearer_sends_the_token(auth_server):
    response = await send(Bearer(), {"token": "abc.def"}, "GET", auth_server + "/echo")
    assert response.json()["headers"]["authorization"] == "Bearer abc.def"


@pytest.mark.parametrize(("where", "field"), [("header", "headers"), ("query", "query")])
async def test_apikey_in_header_or_query(auth_server, where, field):
    params = {"key": "X-Api-Key", "value": "k3y", "in": where}
    echoed = (await send(ApiKey(), params, "GET", auth_server + "/echo?a=1")).json()
    if where == "header":
        assert echoed["headers"]["x-api-key"] == "k3y"
    else:
        assert echoed["query"] == "a=1&X-Api-Key=k3y"


async def test_noauth_sends_nothing(auth_server):
    echoed = (await send(NoAuth(), {}, "GET", auth_server + "/echo")).json()
    assert "authorization" not in echoed["headers"]


async def test_missing_parameter_names_the_type_and_the_parameter():
    with pytest.raises(AuthError, match=r"^bearer auth: missing parameter 'token'$"):
        await Bearer().sign({"token": ""}, WireTarget("GET", "http://127.0.0.1/"))
    with pytest.raises(
        AuthError, match=r"apikey auth: 'in' must be 'header' or 'query', not 'body'"
    ):
        await ApiKey().sign(
            {"key": "k", "value": "v", "in": "body"}, WireTarget("GET", "http://127.0.0.1/")
        )
