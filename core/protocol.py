"""What a protocol plugin implements: a handler class, and the endpoint it may connect through."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from wirecall.core.errors import Location
    from wirecall.core.exchange import Exchange
    from wirecall.core.records import Response


@dataclass(frozen=True)
class Endpoint:
    """A non-TCP address a plugin connects through, given by ``wirecall_endpoints``.

    ``kind`` is ``"unix"`` or ``"npipe"``; ``path`` the socket or pipe; ``url`` the address
    with the transport part removed (``http://localhost/v1/info`` for
    ``unix:/run/app.sock:/v1/info``), which is what goes on the wire.
    """

    kind: str
    path: str
    url: str

    def check(self) -> None:
        """Raise ConnectError naming the path if it cannot be connected to (missing, not a
        socket, no permission, wrong OS); libraries that connect by path call this first."""

    async def open_connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A byte stream to the endpoint, for libraries that take a ready connection.

        The transport plugin that produced the endpoint implements it.
        """
        raise NotImplementedError(f"{self.kind} endpoints cannot open connections")


@dataclass(frozen=True)
class LazyProtocol:
    """A protocol named now and imported on first use: ``LazyProtocol("soap", "pkg.handler:SoapHandler")``.

    ``wirecall_protocols`` may return these instead of classes, so that listing the
    installed protocols (every run does) never imports a protocol library.
    """

    name: str
    target: str  # "module.path:ClassName"

    def load(self) -> type[ProtocolHandler]:
        import importlib

        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]


class ProtocolHandler:
    """Base of every protocol handler: one instance per protocol per run.

    The runner enters it as an async context manager on first use and leaves it at the end
    of the run, so connection pools and channels live for the whole run.

    ``parse`` gets an item's ``request`` object with variables already resolved and returns
    whatever the handler wants to send (core never looks inside). ``send`` does the exchange.
    """

    name: ClassVar[str]
    schemes: ClassVar[tuple[str, ...]] = ()
    streaming: ClassVar[bool] = False

    async def __aenter__(self) -> ProtocolHandler:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close pools and channels kept for the run."""

    def parse(self, raw: Mapping[str, Any], at: Location) -> Any:
        """Validate an item's resolved ``request`` object; raise CollectionError with ``at``."""
        return raw

    def describe(self, request: Any) -> dict[str, Any]:
        """A JSON view of the parsed request for reports (method, url, headers, body)."""
        return dict(request) if isinstance(request, Mapping) else {"request": str(request)}

    def auth_target(self, request: Any) -> Any:
        """Where auth schemes put credentials (see ``wirecall.core.auth``)."""
        raise NotImplementedError(f"{self.name} does not take auth")

    async def send(self, request: Any, exchange: Exchange) -> Response:
        raise NotImplementedError
