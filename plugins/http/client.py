"""RunClient: httpx's AsyncClient on the run's cookie jar, which reads only responses that set cookies.

httpx hands every response to the jar through urllib's compatibility wrappers (a urllib
Request and an email Message built from all headers), about 0.07 ms per response here,
and the stdlib jar then looks only at Set-Cookie and Set-Cookie2. A response without
either changes nothing in the jar, so RunClient's cookies skip it without building them.
"""

from __future__ import annotations

import http.cookiejar
from typing import Any

import httpx

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

    @property
    def cookies(self) -> httpx.Cookies:
        """What httpx reads the Cookie header from and stores Set-Cookie into."""
        return self._jar_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._jar_cookies = _JarCookies(httpx.Cookies(cookies).jar)
