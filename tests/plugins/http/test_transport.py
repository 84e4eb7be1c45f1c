"""Connections, TLS, HTTP/2, redirects, cookies, timeouts and errors against the echo server."""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import socket
from typing import Any

import pytest
from wirecall.core.errors import ConnectError, ProtocolError, RequestTimeout, TLSError
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.protocol import Endpoint

from tests.fixtures import ServerAddress
from tests.plugins.http.conftest import AT


async def test_response_record(send: Any, http_server: str) -> None:
    response = await send(f"{http_server}/status/418")
    assert (response.protocol, response.code, response.status) == ("http", 418, "I'm a Teapot")
    assert response.header("content-type") == "application/json"
    assert response.json() == {"status": 418}
    assert response.http_version == "HTTP/1.1"
    assert response.url == f"{http_server}/status/418"
    assert response.response_time_ms > 0
    assert response.extra["sent"]["method"] == "GET"


async def test_connections_are_kept_alive_across_requests(echo: Any, http_server: str) -> None:
    first = await echo(f"{http_server}/get")
    second = await echo({"method": "POST", "url": f"{http_server}/post"})
    assert first["client"]["port"] == second["client"]["port"]


async def test_redirects_followed_by_default(send: Any, http_server: str) -> None:
    response = await send(f"{http_server}/redirect/3")
    assert response.code == 200 and response.url == f"{http_server}/get"
    assert response.extra["redirects"] == 3


async def test_redirects_not_followed_per_protocol_profile_behavior(
    send: Any, http_server: str
) -> None:
    no_follow = {"protocolProfileBehavior": {"followRedirects": False}}
    response = await send({"url": f"{http_server}/redirect/2", **no_follow})
    assert response.code == 302 and response.header("location") == "/redirect/1"
    response = await send(f"{http_server}/redirect/2", settings=Settings(follow_redirects=False))
    assert response.code == 302


async def test_too_many_redirects(send: Any, http_server: str) -> None:
    raw = {"url": f"{http_server}/redirect/3", "protocolProfileBehavior": {"maxRedirects": 2}}
    with pytest.raises(ProtocolError, match="too many redirects"):
        await send(raw)


async def test_cookies_persist_in_the_runs_jar(send: Any, http_server: str) -> None:
    jar = http.cookiejar.CookieJar()
    await send(f"{http_server}/cookies/set?session=abc&theme=dark", cookies=jar)
    response = await send(f"{http_server}/cookies", cookies=jar)
    assert response.json() == {"cookies": {"session": "abc", "theme": "dark"}}
    assert sorted(c.name for c in jar) == ["session", "theme"]


async def test_disable_cookies_neither_sends_nor_stores(send: Any, http_server: str) -> None:
    jar = http.cookiejar.CookieJar()
    await send(f"{http_server}/cookies/set?kept=1", cookies=jar)
    off = {"protocolProfileBehavior": {"disableCookies": True}}
    response = await send({"url": f"{http_server}/cookies/set?dropped=1", **off}, cookies=jar)
    assert response.json() == {"cookies": {}}
    assert [c.name for c in jar] == ["kept"]


async def test_gzip_response_is_decoded(send: Any, http_server: str) -> None:
    response = await send(f"{http_server}/gzip")
    assert response.header("content-encoding") == "gzip"
    assert response.json()["gzipped"] is True
    assert not response.body.startswith(gzip.compress(b"")[:2])


async def test_tls_verification_fails_without_the_ca(
    send: Any, https_server: ServerAddress
) -> None:
    with pytest.raises(TLSError, match="certificate verif") as info:
        await send(f"{https_server.url}/get")
    assert info.value.__cause__ is not None


async def test_tls_with_the_ca_bundle(echo: Any, https_server: ServerAddress) -> None:
    got = await echo(f"{https_server.url}/get", settings=Settings(ca_bundle=https_server.ca))
    assert got["url"] == f"{https_server.url}/get"


async def test_tls_insecure(echo: Any, https_server: ServerAddress) -> None:
    got = await echo(f"{https_server.url}/get", settings=Settings(verify_tls=False))
    assert got["method"] == "GET"
    strict_off = {"protocolProfileBehavior": {"strictSSL": False}}
    assert (await echo({"url": f"{https_server.url}/get", **strict_off}))["method"] == "GET"


async def test_http2_is_negotiated_with_alpn(send: Any, http2_server: ServerAddress) -> None:
    response = await send(f"{http2_server.url}/get", settings=Settings(ca_bundle=http2_server.ca))
    assert response.http_version == "HTTP/2"
    assert response.status == "OK"  # HTTP/2 has no reason phrase; Postman shows one anyway
    assert response.json()["http_version"] == "2"


async def test_http1_only_per_protocol_version(send: Any, http2_server: ServerAddress) -> None:
    http1 = {"protocolProfileBehavior": {"protocolVersion": "http1"}}
    raw = {"url": f"{http2_server.url}/get", **http1}
    response = await send(raw, settings=Settings(ca_bundle=http2_server.ca))
    assert response.http_version == "HTTP/1.1"


async def test_unix_socket_endpoint(echo: Any, uds_http_server: str) -> None:
    url = f"http://unix:{uds_http_server}:/anything/x?y=1"

    def endpoint_for(address: str) -> Endpoint | None:
        assert address == url
        return Endpoint("unix", uds_http_server, "http://localhost/anything/x?y=1")

    got = await echo(url, endpoint_for=endpoint_for)
    assert (got["path"], got["args"], got["client"]) == ("/anything/x", {"y": "1"}, None)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused(send: Any) -> None:
    port = _closed_port()
    with pytest.raises(ConnectError, match=f"^connection refused: 127.0.0.1:{port}$"):
        await send(f"http://127.0.0.1:{port}/get")


async def test_missing_unix_socket(send: Any, tmp_path: Any) -> None:
    path = str(tmp_path / "absent.sock")
    endpoint = Endpoint("unix", path, "http://localhost/")
    with pytest.raises(ConnectError, match=f"unix:{path}"):
        await send(f"http://unix:{path}:/", endpoint_for=lambda url: endpoint)


async def test_read_timeout(send: Any, http_server: str) -> None:
    message = r"no response from 127\.0\.0\.1:\d+ within 200 ms"
    with pytest.raises(RequestTimeout, match=message):
        await send(f"{http_server}/delay/10", settings=Settings(timeout_request_ms=200))


async def test_unknown_scheme(send: Any) -> None:
    with pytest.raises(ProtocolError, match="unsupported URL"):
        await send("ftp://127.0.0.1/file")


async def test_describe_is_newmans_request_view(handler: Any, http_server: str) -> None:
    raw = {
        "method": "post",
        "url": f"{http_server}/post?a=1",
        "header": [{"key": "X-A", "value": "1"}],
        "body": {"mode": "raw", "raw": "{}", "options": {"raw": {"language": "json"}}},
    }
    view = handler.describe(handler.parse(raw, AT))
    assert json.loads(json.dumps(view)) == {
        "method": "POST",
        "url": f"{http_server}/post?a=1",
        "header": [
            {"key": "X-A", "value": "1"},
            {"key": "Content-Type", "value": "application/json"},
        ],
        "body": {"mode": "raw", "raw": "{}"},
    }


async def test_auth_target_adds_headers_and_query(handler: Any, http_server: str) -> None:
    old = [{"key": "authorization", "value": "old"}]
    request = handler.parse({"url": f"{http_server}/get?a=1", "header": old}, AT)
    target = handler.auth_target(request)
    target.set_header("Authorization", "Bearer t0k")
    target.set_query("api_key", "k 1")
    assert target.url == f"{http_server}/get?a=1&api_key=k 1"
    assert (target.method, target.body) == ("GET", None)
    assert target.header("AUTHORIZATION") == "Bearer t0k"
    response = await handler.send(request, Exchange())
    got: dict[str, Any] = response.json()
    assert got["headers"]["authorization"] == "Bearer t0k"
    assert got["args"] == {"a": "1", "api_key": "k 1"}


async def test_proxy_from_the_environment(
    send: Any, http_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The echo server plays the proxy: it receives the absolute-form request for another host.
    monkeypatch.setenv("HTTP_PROXY", http_server)
    response = await send("http://api.example.invalid/anything/via-proxy")
    got = response.json()
    assert (got["path"], got["headers"]["host"]) == ("/anything/via-proxy", "api.example.invalid")


async def test_proxy_ignored_without_trust_env(
    send: Any, http_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", http_server)
    with pytest.raises(ConnectError, match="cannot resolve host: api.example.invalid:80"):
        await send("http://api.example.invalid/get", settings=Settings(trust_env=False))
