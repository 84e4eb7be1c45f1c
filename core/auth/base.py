"""The protocol-neutral auth contract: schemes sign an AuthTarget that a handler provides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from wirecall.core.errors import AuthError

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


def require(scheme: str, params: dict[str, Any], *names: str) -> list[str]:
    """The named parameters as strings; AuthError naming the scheme and the first missing one."""
    values = []
    for name in names:
        value = params.get(name)
        if value is None or value == "":
            raise AuthError(f"{scheme} auth: missing parameter {name!r}")
        values.append(str(value))
    return values


def text(params: dict[str, Any], name: str, default: str = "") -> str:
    """An optional parameter as a string (Postman stores unset ones as "" or omits them)."""
    value = params.get(name)
    return default if value is None or value == "" else str(value)


def flag(params: dict[str, Any], name: str, default: bool = False) -> bool:
    """A Postman boolean parameter: exported as JSON true/false or as the strings "true"/"false"."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def unsupported(scheme: str, target: AuthTarget, placement: str) -> AuthError:
    """The error for a placement the target's protocol cannot do."""
    return AuthError(f"{scheme} auth cannot use {placement} with protocol {target.protocol}")


def put_token(
    target: AuthTarget, token: str, *, prefix: str, in_query: bool, query_key: str
) -> None:
    """Place a bearer-style token: ``Authorization: <prefix> <token>`` or a query parameter."""
    if in_query:
        target.set_query(query_key, token)
    else:
        target.set_header("Authorization", f"{prefix} {token}".strip())
