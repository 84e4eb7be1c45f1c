"""Unix sockets and Windows named pipes as endpoints for every protocol plugin.

Other plugins never import this one: they ask ``exchange.endpoint_for(url)`` and get an
:class:`~wirecall.core.protocol.Endpoint` whose ``open_connection()`` this plugin implements.
"""

from __future__ import annotations

from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import Endpoint
from wirecall.plugins.ipc.addresses import build_endpoint


@hookimpl
def wirecall_endpoints(url: str) -> Endpoint | None:
    return build_endpoint(url)
