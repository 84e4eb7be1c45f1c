"""The gRPC protocol handler: what the runner sees. grpc itself loads on the first send."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wirecall.core.errors import AuthError, Location
from wirecall.core.protocol import ProtocolHandler
from wirecall.plugins.grpc.request import GrpcRequest, metadata_text, parse_request

if TYPE_CHECKING:
    from wirecall.core.exchange import Exchange
    from wirecall.core.records import Response
    from wirecall.plugins.grpc.invoke import Session


class GrpcAuthTarget:
    """Auth schemes put credentials into metadata (lower-case keys, as HTTP/2 requires)."""

    protocol = "grpc"
    body = None

    def __init__(self, request: GrpcRequest) -> None:
        self._request = request
        self.method = request.method
        self.url = request.url

    def header(self, name: str) -> str | None:
        value = next((v for k, v in self._request.metadata if k == name.lower()), None)
        return (
            value if value is None or isinstance(value, str) else base64.b64encode(value).decode()
        )

    def set_header(self, name: str, value: str) -> None:
        key = name.lower()
        self._request.metadata[:] = [(k, v) for k, v in self._request.metadata if k != key]
        self._request.metadata.append((key, value))

    def set_query(self, name: str, value: str) -> None:
        raise AuthError("query parameters are not supported for grpc (use metadata)")

    def set_credentials(self, username: str, password: str) -> None:
        raise AuthError("username/password credentials are not supported for grpc")


class GrpcHandler(ProtocolHandler):
    name = "grpc"
    schemes = ("grpc", "grpcs")
    streaming = True

    def __init__(self) -> None:
        self._session: Session | None = None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.aclose()
            self._session = None

    def parse(self, raw: Mapping[str, Any], at: Location) -> GrpcRequest:
        return parse_request(raw, at)

    def describe(self, request: GrpcRequest) -> dict[str, Any]:
        """Postman's gRPC ``pm.request``: url, methodPath, metadata and messages."""
        return {
            "url": request.url,
            "methodPath": request.method,
            "metadata": [{"key": k, "value": v} for k, v in metadata_text(request.metadata)],
            "messages": [{"data": m} for m in request.messages],
        }

    def auth_target(self, request: GrpcRequest) -> GrpcAuthTarget:
        return GrpcAuthTarget(request)

    async def send(self, request: GrpcRequest, exchange: Exchange) -> Response:
        if self._session is None:
            from wirecall.plugins.grpc.invoke import Session

            self._session = Session()
        return await self._session.send(request, exchange)
