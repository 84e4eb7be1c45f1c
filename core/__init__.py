"""wirecall's protocol-agnostic core: the public API for plugin authors.

A protocol plugin subclasses :class:`ProtocolHandler`, returns it from a ``wirecall_protocols``
hook implementation marked with :data:`hookimpl`, and talks to the run only through the
:class:`Exchange` it is given and the :class:`Response` / :class:`Message` records it returns.
"""

from wirecall.core.auth.base import AuthScheme, AuthTarget
from wirecall.core.demo import DemoServer
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import Endpoint, ProtocolHandler
from wirecall.core.records import Message, Response

__all__ = [
    "AuthScheme",
    "AuthTarget",
    "DemoServer",
    "Endpoint",
    "Exchange",
    "Message",
    "ProtocolHandler",
    "Response",
    "Settings",
    "hookimpl",
]
