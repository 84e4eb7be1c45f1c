"""HttpHandler: Postman HTTP items over httpx, with connections kept alive for the whole run.

One ``httpx.AsyncClient`` serves every request of a run that shares the same connection
options (TLS verification, the host's certificate entry, proxy, cookies on/off, HTTP
versions, redirect limit, socket or pipe), so
a run of plain requests uses exactly one client and reuses its connections. Clients are
made on first use, from the Settings of the exchange, and closed with the handler.

A direct client sends plain ``http://`` HTTP/1.1 through wirecall's own lean transport
(plugins/http/transport.py) and everything else (https, HTTP/2) through httpcore's; proxies,
sockets and pipes keep httpcore's for every request. A simple ``http://`` request on a
direct client skips httpx's client layer too (plugins/http/plain.py).
"""

from __future__ import annotations

import functools
import http.cookiejar
import importlib.metadata
import re
import ssl
import time
from collections.abc import Mapping
from typing import Any, NamedTuple

import httpx
from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.httpx_errors import map_httpx_errors
from wirecall.core.protocol import Endpoint, ProtocolHandler
from wirecall.core.records import Response
from wirecall.core.tls import client_context, host_tls
from wirecall.core.transport_settings import HostTLS, proxy_for
from wirecall.plugins.http.body import PRUNED_METHODS
from wirecall.plugins.http.client import RunClient
from wirecall.plugins.http.record import http_record
from wirecall.plugins.http.request import HttpAuthTarget, HttpRequest, parse_request
from wirecall.plugins.http.transport import PlainTransport

USER_AGENT = f"wirecall/{importlib.metadata.version('wirecall')}"
# protocolProfileBehavior.protocolVersion -> (http1, http2) offered to the server
HTTP_VERSIONS = {"auto": (True, True), "http1": (True, False), "http2": (False, True)}
_ORIGIN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")  # scheme://authority of a URL


class _ClientKey(NamedTuple):
    verify: bool
    cookies: bool
    http1: bool
    http2: bool
    max_redirects: int
    uds: str | None
    tls: HostTLS | None  # the settings file's certificate entry for the host
    proxy: str | None  # the proxy wirecall chose for the URL (proxy_for), None: direct


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """The jar policy of ``disableCookies`` requests: nothing is sent, nothing is stored."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


class HttpHandler(ProtocolHandler):
    name = "http"
    schemes = ("http", "https")

    def __init__(self, settings: Settings | None = None) -> None:
        # Optional: only the auth target needs the working directory before the first send.
        self._working_dir = settings.working_dir if settings else "."
        self._clients: dict[_ClientKey, RunClient] = {}
        # (origin, id(settings file), trust_env) -> (settings file, TLS entry, proxy)
        self._routes: dict[tuple[str, int, bool], tuple[Any, HostTLS | None, str | None]] = {}

    def parse(self, raw: Mapping[str, Any], at: Location) -> HttpRequest:
        return parse_request(raw, at)

    def describe(self, request: HttpRequest) -> dict[str, Any]:
        """Newman's report view of the request as the item defines it."""
        headers = _wire_headers(request, request.body.content_type is not None)
        view: dict[str, Any] = {
            "method": request.method,
            "url": request.full_url,
            "header": [{"key": k, "value": v} for k, v in headers],
        }
        body = request.wire_body
        if body.view:
            view["body"] = dict(body.view)
        return view

    def auth_target(self, request: HttpRequest) -> HttpAuthTarget:
        return HttpAuthTarget(request, self._working_dir)

    async def send(self, request: HttpRequest, exchange: Exchange) -> Response:
        settings = exchange.settings
        self._working_dir = settings.working_dir
        url, uds = request.full_url, None
        endpoint = exchange.endpoint_for(url)
        if endpoint is not None:
            endpoint.check()  # names the socket or pipe it cannot reach (or the OS without pipes)
            url, uds = endpoint.url, endpoint.path
        behavior = {**settings.extra.get("protocolProfileBehavior", {}), **request.behavior}
        client = self._client(settings, behavior, exchange.cookies, url, endpoint)
        pruned = request.method in PRUNED_METHODS and not behavior.get("disableBodyPruning")
        content = None if pruned else request.wire_body.encode(settings.working_dir)
        timeout_ms = settings.timeout_request_ms
        timeout = _timeout(timeout_ms)
        follow = bool(request.behavior.get("followRedirects", settings.follow_redirects))
        headers = _wire_headers(request, content is not None)
        with map_httpx_errors("http", timeout_ms, uds):
            plain = client.plain_request(request.method, url, headers, content)
            if plain is not None:
                started = time.perf_counter()
                answer = await plain.send(_timeouts(timeout_ms))
                if answer.finished(follow):
                    return answer.record((time.perf_counter() - started) * 1000)
            outgoing = client.build_request(
                request.method, url, headers=headers, content=content, timeout=timeout
            )
            if plain is None:
                started = time.perf_counter()
            else:  # httpx finishes what the plain path sent: a redirect, cookies, decoding
                client.replay(outgoing, answer.response())
            response = await client.send(outgoing, follow_redirects=follow)
            elapsed_ms = (time.perf_counter() - started) * 1000
        return _to_record(response, elapsed_ms)

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    def _client(
        self,
        settings: Settings,
        behavior: Mapping[str, Any],
        jar: http.cookiejar.CookieJar,
        url: str,
        endpoint: Endpoint | None,
    ) -> RunClient:
        """The run's client for these connection options, made on first use."""
        uds = endpoint.path if endpoint else None  # a Unix socket's or a named pipe's path
        strict = behavior.get("strictSSL")
        http1, http2 = HTTP_VERSIONS.get(str(behavior.get("protocolVersion", "auto")), (True, True))
        tls, proxy = self._route(settings, url)
        key = _ClientKey(
            verify=settings.verify_tls and strict is not False,
            cookies=not behavior.get("disableCookies"),
            http1=http1,
            http2=http2,
            max_redirects=int(behavior.get("maxRedirects", settings.max_redirects)),
            uds=uds,
            tls=tls,
            proxy=None if uds else proxy,
        )
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = _new_client(key, settings, jar, url, endpoint)
        return client

    def _route(self, settings: Settings, url: str) -> tuple[HostTLS | None, str | None]:
        """The settings file's TLS entry and the proxy for ``url``, worked out once per origin.

        Both depend only on the URL's scheme, host and port, the settings file and the
        environment's proxy variables, which stay the same while a handler lives (a run).
        """
        found = _ORIGIN.match(url)
        key = (found.group() if found else url, id(settings.transport), settings.trust_env)
        route = self._routes.get(key)
        if route is None or route[0] is not settings.transport:  # the id of a freed object
            route = (settings.transport, host_tls(settings, url), proxy_for(settings, url))
            self._routes[key] = route
        return route[1], route[2]


def _new_client(
    key: _ClientKey,
    settings: Settings,
    jar: http.cookiejar.CookieJar,
    url: str,
    endpoint: Endpoint | None,
) -> RunClient:
    """A client for ``key``; ``url`` is the first one it serves (for the host's TLS entry).

    The environment's proxy variables are already in ``key.proxy`` (``proxy_for``), so httpx
    does not read them again (and cannot route one client's hosts differently).
    """

    def context() -> ssl.SSLContext:
        return client_context(settings, {"verify": key.verify}, host=url)

    options: dict[str, Any] = {
        "jar": jar if key.cookies else http.cookiejar.CookieJar(policy=_NoCookies()),
        "max_redirects": key.max_redirects,
        "headers": {"User-Agent": USER_AGENT},
    }
    if endpoint is not None:  # a proxy never applies to a socket or pipe
        transport: httpx.AsyncBaseTransport
        if endpoint.kind == "unix":  # httpx's own; it needs nothing but the path
            transport = httpx.AsyncHTTPTransport(
                uds=endpoint.path, verify=context(), http1=key.http1, http2=key.http2
            )
        else:  # named pipes (and any other endpoint) through endpoint.open_connection()
            from wirecall.core.endpoint_transport import EndpointTransport  # imports httpcore

            transport = EndpointTransport(
                endpoint, ssl_context=context(), http1=key.http1, http2=key.http2
            )
        return RunClient(transport=transport, trust_env=False, **options)
    if key.proxy is None and key.http1:  # plain http:// on our own transport, the rest httpcore's

        def fallback() -> httpx.AsyncBaseTransport:
            return httpx.AsyncHTTPTransport(
                verify=context(), http1=key.http1, http2=key.http2, trust_env=False
            )

        return RunClient(transport=PlainTransport(fallback), trust_env=False, **options)
    return RunClient(
        verify=context(),
        http1=key.http1,
        http2=key.http2,
        proxy=key.proxy,
        trust_env=False,
        **options,
    )


@functools.cache
def _timeouts(timeout_ms: float | None) -> dict[str, float | None]:
    """--timeout-request as the transport reads it from a request's extensions (made once)."""
    return _timeout(timeout_ms).as_dict()


@functools.cache
def _timeout(timeout_ms: float | None) -> httpx.Timeout:
    """--timeout-request as httpx's connect, read, write and pool timeouts (made once per value)."""
    return httpx.Timeout(timeout_ms / 1000 if timeout_ms else None)


def _wire_headers(request: HttpRequest, with_body: bool) -> list[tuple[str, str]]:
    """The item's headers, plus the Content-Type Postman derives from the body mode."""
    ctype = request.body.content_type
    if with_body and ctype and request.header("Content-Type") is None:
        return [*request.headers, ("Content-Type", ctype)]
    return request.headers


def _to_record(response: httpx.Response, elapsed_ms: float) -> Response:
    sent = response.request
    return http_record(
        code=response.status_code,
        reason=response.reason_phrase,  # httpx fills in the standard one for HTTP/2
        headers=response.headers.raw,
        body=response.content,
        elapsed_ms=elapsed_ms,
        http_version=response.http_version,
        url=str(response.url),
        sent=(sent.method, str(sent.url), sent.headers.raw),
        redirects=len(response.history),
    )
