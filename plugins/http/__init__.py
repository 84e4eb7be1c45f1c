"""HTTP over httpx: the ``http`` protocol, the ``wirecall http`` command and the echo server.

Hook implementations only; httpx, click commands and the server load when first used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.demo import DemoServer
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol


@hookimpl
def wirecall_protocols() -> Iterable[LazyProtocol]:
    return [LazyProtocol("http", "wirecall.plugins.http.handler:HttpHandler")]


@hookimpl
def wirecall_commands() -> Iterable[Any]:
    from wirecall.plugins.http.command import http_command

    return [http_command]


@hookimpl
def wirecall_demo_servers() -> Iterable[Any]:
    return [
        DemoServer(
            "http",
            "wirecall.plugins.http.demo_server",
            "HTTP echo server in the style of httpbin/postman-echo "
            "(options: --tls, --http2, --uds PATH)",
        )
    ]
