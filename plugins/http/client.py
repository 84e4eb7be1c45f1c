"""RunClient: httpx's AsyncClient on the run's cookie jar, with the plain path beside it.

httpx hands every response to the jar through urllib's compatibility wrappers (a urllib
Request and an email Message built from all headers), about 0.07 ms per response here,
and the stdlib jar then looks only at Set-Cookie and Set-Cookie2. A response without
either changes nothing in the jar, so RunClient's cookies skip it without building them.

A client on wirecall's PlainTransport also offers the plain path (plugins/http/plain.py)
while its jar is empty: with cookies to send, httpx works out the Cookie header.
"""

from __future__ import annotations

import http.cookiejar
from typing import Any

import httpx
from wirecall.plugins.http.plain import PlainRequest, plain_request
from wirecall.plugins.http.transport import PlainTransport

_SETS_COOKIES = (b"set-cookie", b"set-cookie2")  # the headers http.cookiejar reads


class _JarCookies(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        if any(name.lower() in _SETS_COOKIES for name, _ in response.headers.raw):
            super().extract_cookies(response)


class RunClient(httpx.AsyncClient):
    """An AsyncClient whose cookies live in ``jar`` (the run's, or a no-cookies one)."""

    def __init__(self, *, jar: http.cookiejar.CookieJar, **options: Any) -> None:
        super().__init__(**options)
        self._jar_cookies = _JarCookies(jar)
        transport = options.get("transport")
        self._plain = transport if isinstance(transport, PlainTransport) else None
        self._own_headers = self.headers.raw  # its defaults: set once, never changed

    @property
    def cookies(self) -> httpx.Cookies:
        """What httpx reads the Cookie header from and stores Set-Cookie into."""
        return self._jar_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._jar_cookies = _JarCookies(httpx.Cookies(cookies).jar)

    def plain_request(
        self, method: str, url: str, headers: list[tuple[str, str]], content: bytes | None
    ) -> PlainRequest | None:
        """The request on the plain path, or None where httpx has to build it."""
        if self._plain is None or len(self._jar_cookies.jar):
            return None
        return plain_request(self._plain, self._own_headers, method, url, headers, content)

    def replay(self, request: httpx.Request, response: httpx.Response) -> None:
        """Have ``request``, sent on the plain path, answered with its ``response``."""
        assert self._plain is not None
        self._plain.replay(request, response)
