"""The plugin contract: every ``wirecall_*`` hook, what it returns and when it is called.

Hooks are synchronous, do no I/O and are called once per :class:`~wirecall.core.plugins.PluginHost`
(``wirecall_protocol_for`` and ``wirecall_endpoints`` at most once per item or address). They
hand over objects; the objects carry the (async) behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from wirecall.core.protocol import Endpoint, LazyProtocol, ProtocolHandler

PROJECT = "wirecall"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def wirecall_protocols() -> Iterable[type[ProtocolHandler] | LazyProtocol]:
    """Protocol handlers; each declares ``name`` (an item's ``"protocol"``).

    Return :class:`~wirecall.core.protocol.LazyProtocol` records rather than classes when the
    handler's module imports a protocol library: the class is then imported on first use.
    """


@hookspec(firstresult=True)
def wirecall_protocol_for(item: Mapping[str, Any]) -> str | None:
    """Name of the protocol that owns a raw item, or None to let others decide.

    Core's last-resort answer is ``item.get("protocol", "http")``; the GraphQL plugin claims
    HTTP items whose body mode is ``graphql``.
    """


@hookspec
def wirecall_auth_schemes() -> Iterable[type[Any]]:
    """Auth scheme classes, named as Postman names the auth ``type``."""


@hookspec(firstresult=True)
def wirecall_endpoints(url: str) -> Endpoint | None:
    """An endpoint for addresses such as ``unix:/path`` or named pipes; None means plain TCP."""


@hookspec
def wirecall_importers() -> Iterable[Any]:
    """Importers: ``name``, ``suffixes``, ``sniff(text) -> bool``, ``load(text, source)``."""


@hookspec
def wirecall_exporters() -> Iterable[Any]:
    """Exporters: ``name``, ``dump(collection) -> str``."""


@hookspec
def wirecall_reporters() -> Iterable[type[Any]]:
    """Reporter classes, selected with ``--reporters NAME``."""


@hookspec
def wirecall_commands() -> Iterable[Any]:
    """click commands added to the ``wirecall`` group (import protocol libraries lazily)."""


@hookspec
def wirecall_demo_servers() -> Iterable[Any]:
    """Demo servers: objects with ``name`` and ``serve(...)`` used by ``wirecall demo`` and tests."""
