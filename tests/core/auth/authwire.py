"""A wire target for auth tests: sign, send with httpx, answer challenges, as the runner does."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from wirecall.core.auth.base import AuthScheme
from wirecall.core.errors import AuthError
from wirecall.core.records import Response


class WireTarget:
    """An AuthTarget over a request that is then really sent (what a protocol handler supplies)."""

    def __init__(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        protocol: str = "http",
    ) -> None:
        self.protocol = protocol
        self.method = method
        self.url = url
        self.headers = dict(headers or {})
        self._body = body
        self.credentials: tuple[str, str] | None = None

    @property
    def body(self) -> bytes | None:
        return self._body

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    def set_header(self, name: str, value: str) -> None:
        self.headers = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        self.headers[name] = value

    def set_query(self, name: str, value: str) -> None:
        parts = urlsplit(self.url)
        extra = urlencode({name: value})
        self.url = urlunsplit(
            parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra)
        )

    def add_form_field(self, name: str, value: str) -> None:
        extra = urlencode({name: value}).encode()
        self._body = self._body + b"&" + extra if self._body else extra

    def set_credentials(self, username: str, password: str) -> None:
        if self.protocol != "mqtt":
            raise AuthError(f"credentials placement is not possible with protocol {self.protocol}")
        self.credentials = (username, password)


async def send(
    scheme: AuthScheme,
    params: dict[str, Any],
    method: str,
    url: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> httpx.Response:
    """What the runner does: sign, send, and send again while the scheme asks for it."""
    target = WireTarget(method, url, headers, body)
    await scheme.sign(params, target)
    async with httpx.AsyncClient() as client:
        while True:
            response = await client.request(
                target.method, target.url, headers=target.headers, content=target.body
            )
            record = Response(
                protocol="http",
                code=response.status_code,
                headers=list(response.headers.multi_items()),
                body=response.content,
            )
            if not await scheme.retry(params, target, record):
                return response
