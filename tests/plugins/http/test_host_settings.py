"""The settings file's per-host client certificates and proxies, and oauth1 in the form body."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from wirecall.core.auth.oauth1 import OAuth1
from wirecall.core.errors import AuthError
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.transport_settings import HostPattern, HostTLS, ProxySettings, TransportSettings
from wirecall.plugins.http.handler import HttpHandler

from tests.plugins.http.conftest import AT
from tests.tls_kit import Identity


def _entry(url: str, who: Identity, ca: Path) -> HostTLS:
    return HostTLS(HostPattern.parse(urlsplit(url).netloc), str(who.cert), str(who.key), ca=str(ca))


async def test_each_host_gets_its_own_client_certificate_in_one_run(two_mtls_hosts) -> None:
    ca, hosts = two_mtls_hosts
    transport = TransportSettings(tuple(_entry(url, who, ca) for url, who in hosts))
    async with HttpHandler() as handler:
        for url, who in [*hosts, *hosts]:  # and again, through the kept clients
            settings = Settings(transport=transport, target_url=url)
            request = handler.parse({"url": url + "/whoami"}, AT)
            response = await handler.send(request, Exchange(settings=settings))
            assert response.json() == {"client": who.name}


async def test_a_custom_proxy_from_the_settings_file(http_server: str) -> None:
    # The echo server plays the proxy: it receives the absolute-form request for another host.
    proxy = ProxySettings(http=http_server, bypass=("localhost",))
    url = "http://api.example.invalid/anything/via-settings"
    settings = Settings(transport=TransportSettings(proxy=proxy), target_url=url, trust_env=False)
    async with HttpHandler() as handler:
        response = await handler.send(handler.parse({"url": url}, AT), Exchange(settings=settings))
    got = response.json()
    assert (got["path"], got["headers"]["host"]) == (
        "/anything/via-settings",
        "api.example.invalid",
    )


OAUTH = {"consumerKey": "ck", "consumerSecret": "cs", "token": "tk", "tokenSecret": "ts"}


def _form_request(url: str) -> dict[str, Any]:
    fields = [{"key": "note", "value": "a b!"}, {"key": "empty", "value": ""}]
    return {"method": "POST", "url": url, "body": {"mode": "urlencoded", "urlencoded": fields}}


async def test_oauth1_parameters_in_the_form_body_verified_by_the_server(auth_server: str) -> None:
    async with HttpHandler() as handler:
        request = handler.parse(_form_request(auth_server + "/oauth1?q=%7Ex"), AT)
        await OAuth1().sign({**OAUTH, "addParamsToHeader": False}, handler.auth_target(request))
        response = await handler.send(request, Exchange())
        view = handler.describe(request)["body"]["urlencoded"]
    assert response.code == 200, response.text()
    assert "oauth_signature" in response.json()["params"]
    assert [f["key"] for f in view][:3] == ["note", "empty", "oauth_consumer_key"]


async def test_oauth1_form_fields_reach_the_echo_server(http_server: str) -> None:
    async with HttpHandler() as handler:
        request = handler.parse(_form_request(http_server + "/anything"), AT)
        await OAuth1().sign({**OAUTH, "addParamsToHeader": False}, handler.auth_target(request))
        got = (await handler.send(request, Exchange())).json()
    assert got["form"]["note"] == "a b!"
    assert {"oauth_consumer_key", "oauth_nonce", "oauth_signature"} <= set(got["form"])
    assert "authorization" not in got["headers"]


async def test_form_fields_need_an_urlencoded_body(http_server: str) -> None:
    async with HttpHandler() as handler:
        raw = {"method": "POST", "url": http_server, "body": {"mode": "raw", "raw": "{}"}}
        target = handler.auth_target(handler.parse(raw, AT))
        with pytest.raises(AuthError, match="the request body is 'raw', not urlencoded"):
            target.add_form_field("oauth_nonce", "n")
