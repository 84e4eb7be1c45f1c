"""The protocol-neutral auth contract: schemes sign an AuthTarget that a handler provides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from wirecall.core.records import Response


class AuthTarget(Protocol):
    """Where a scheme puts credentials; each protocol handler supplies one per request.

    HTTP, GraphQL, SOAP and WebSocket/Socket.IO handshakes take headers and query parameters;
    gRPC takes metadata through ``set_header``; MQTT takes ``set_credentials``. A placement
    the protocol cannot do raises AuthError naming the scheme and the protocol.
    """

    protocol: str
    method: str
    url: str  # the full URL, query included, as it will be sent

    @property
    def body(self) -> bytes | None: ...

    def header(self, name: str) -> str | None: ...

    def set_header(self, name: str, value: str) -> None: ...

    def set_query(self, name: str, value: str) -> None: ...

    def set_credentials(self, username: str, password: str) -> None: ...


class AuthScheme:
    """Base of an auth scheme: ``name`` is Postman's auth ``type`` (basic, bearer, ...).

    ``params`` are the item's resolved auth parameters as a dict (Postman's key names).
    ``secret_params`` name the parameters that are masked in every output.
    """

    name: ClassVar[str]
    secret_params: ClassVar[tuple[str, ...]] = ()

    async def sign(self, params: dict[str, Any], target: AuthTarget) -> None:
        raise NotImplementedError

    async def retry(self, params: dict[str, Any], target: AuthTarget, response: Response) -> bool:
        """Return True to have the request sent again (digest, NTLM challenges)."""
        return False
