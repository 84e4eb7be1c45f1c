"""The settings file's proxy for WebSocket connections, through a real CONNECT proxy."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from wirecall.core.errors import ConnectError
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.streams import StreamSpec
from wirecall.core.transport_settings import ProxySettings, TransportSettings
from wirecall.plugins.websocket.handler import WebSocketHandler

from .test_handler import AT, received


async def run(raw: dict[str, Any], proxy: ProxySettings) -> Any:
    handler = WebSocketHandler()
    settings = Settings(transport=TransportSettings(proxy=proxy), trust_env=False)
    exchange = Exchange(settings=settings, stream=StreamSpec.from_request(raw, AT))
    return await handler.send(handler.parse(raw, AT), exchange)


async def test_through_the_settings_files_proxy_unless_bypassed(ws_url: str, proxy: str) -> None:
    # Only the proxy reaches echo.example.invalid (it tunnels every name to 127.0.0.1).
    url = f"ws://echo.example.invalid:{urlsplit(ws_url).port}/echo"
    raw = {"url": url, "messages": [{"data": "via proxy"}], "until": {"messages": 1}}
    response = await run(raw, ProxySettings(http=proxy))
    assert received(response) == ["via proxy"]
    with pytest.raises(ConnectError):
        await run(raw, ProxySettings(http=proxy, bypass=("*.invalid",)))
