"""The settings file's proxy for SOAP: the WSDL fetch and the call both go through it."""

import asyncio
from urllib.parse import urlsplit

import pytest
from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Response
from wirecall.core.transport_settings import ProxySettings, TransportSettings
from wirecall.plugins.soap.handler import SoapHandler
from wirecall.plugins.soap.wsdl import WsdlError


def call(request: dict[str, str], proxy: ProxySettings) -> Response:
    async def run() -> Response:
        settings = Settings(transport=TransportSettings(proxy=proxy), trust_env=False)
        async with SoapHandler() as handler:
            parsed = handler.parse(request, Location("c.json", "$.item[0].request"))
            return await handler.send(parsed, Exchange(settings=settings))

    return asyncio.run(run())


def test_wsdl_and_call_through_the_settings_files_proxy(soap_server: str, proxy: str) -> None:
    # Only the proxy reaches soap.example.invalid (it sends every name to 127.0.0.1).
    base = f"http://soap.example.invalid:{urlsplit(soap_server).port}"
    request = {"wsdl": f"{base}/soap11?wsdl", "endpoint": f"{base}/soap11", "operation": "Add",
               "args": {"a": 2, "b": 40}}  # fmt: skip
    response = call(request, ProxySettings(http=proxy))
    assert (response.code, response.extra["result"], response.url) == (200, 42, f"{base}/soap11")
    with pytest.raises(WsdlError, match="soap.example.invalid"):
        call(request, ProxySettings(http=proxy, bypass=("*.invalid",)))
