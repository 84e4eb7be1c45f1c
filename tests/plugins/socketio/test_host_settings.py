"""The settings file's proxy for Socket.IO (aiohttp session), through a real proxy."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from wirecall.core.errors import ConnectError

from tests.tls_kit import through

from .test_handler import WS, events, run


async def test_websocket_transport_through_the_settings_files_proxy(
    sio_url: str, proxy: str
) -> None:
    # Only the proxy reaches sio.example.invalid (it sends every name to 127.0.0.1).
    url = f"http://sio.example.invalid:{urlsplit(sio_url).port}"
    raw: dict[str, Any] = {
        "url": url,
        "transports": WS,
        "messages": [{"event": "echo", "args": ["via proxy"]}],
        "until": {"messages": 1},
    }
    response = await run(raw, settings=through(proxy))
    assert events(response) == [("echo", ["via proxy"])]
    with pytest.raises(ConnectError):
        await run(raw, settings=through(proxy, ".invalid"))
