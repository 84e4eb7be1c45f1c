"""WebSocket over websockets: items with ``"protocol": "websocket"``, ``wirecall ws``, a demo server.

Hook implementations only; the handler, command and websockets load when first used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.demo import DemoServer
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol


@hookimpl
def wirecall_protocols() -> Iterable[LazyProtocol]:
    return [LazyProtocol("websocket", "wirecall.plugins.websocket.handler:WebSocketHandler")]


@hookimpl
def wirecall_commands() -> Iterable[Any]:
    from wirecall.plugins.websocket.command import ws

    return [ws]


@hookimpl
def wirecall_demo_servers() -> Iterable[DemoServer]:
    return [
        DemoServer(
            "websocket",
            "wirecall.plugins.websocket.demo_server",
            "echo, headers, ticker, close codes, 401 rejection, subprotocols (--uds PATH for a Unix socket)",
        )
    ]
