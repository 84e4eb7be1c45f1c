"""Socket.IO over python-socketio: items with ``"protocol": "socketio"``, ``wirecall sio``, a demo server.

Hook implementations only; the handler, command and socketio load when first used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.demo import DemoServer
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol


@hookimpl
def wirecall_protocols() -> Iterable[LazyProtocol]:
    return [LazyProtocol("socketio", "wirecall.plugins.socketio.handler:SocketIOHandler")]


@hookimpl
def wirecall_commands() -> Iterable[Any]:
    from wirecall.plugins.socketio.command import sio

    return [sio]


@hookimpl
def wirecall_demo_servers() -> Iterable[DemoServer]:
    return [
        DemoServer(
            "socketio",
            "wirecall.plugins.socketio.demo_server",
            "events, acks, rooms, server push, namespace /chat with auth (token: secret)",
        )
    ]
