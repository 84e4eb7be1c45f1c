"""A one-shot loopback HTTP listener that receives the OAuth2 authorization redirect."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Self
from urllib.parse import parse_qsl, urlsplit

_PAGE = b"wirecall received the authorization response; you can close this window.\n"


class RedirectListener:
    """Listens on 127.0.0.1 (port 0 unless given) until one request hits ``path``."""

    def __init__(self, port: int = 0, path: str = "/callback") -> None:
        self.port = port
        self.path = path or "/"
        self._result: asyncio.Future[dict[str, str]] | None = None
        self._server: asyncio.Server | None = None

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    async def __aenter__(self) -> Self:
        self._result = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def wait(self, timeout: float) -> dict[str, str]:
        """The redirect's query parameters (``code``, ``state`` or ``error``)."""
        assert self._result is not None
        return await asyncio.wait_for(asyncio.shield(self._result), timeout)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await reader.readline()).decode("latin-1").split()
            while (await reader.readline()).strip():
                pass  # headers are not needed
            target = urlsplit(request_line[1] if len(request_line) > 1 else "/")
            found = target.path == self.path
            status = b"200 OK" if found else b"404 Not Found"
            body = _PAGE if found else b"not found\n"
            writer.write(
                b"HTTP/1.1 "
                + status
                + b"\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                + b"Content-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            await writer.drain()
            if found and self._result is not None and not self._result.done():
                self._result.set_result(dict(parse_qsl(target.query)))
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):  # the browser may hang up first
                await writer.wait_closed()
