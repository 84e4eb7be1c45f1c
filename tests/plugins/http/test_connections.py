"""Plain http:// requests through the handler: kept-alive connections, servers that hang up,
bodies with and without framing, timeouts, large bodies and cookies, as a run sees them."""

from __future__ import annotations

import asyncio
import hashlib
import http.cookiejar
import socket
from typing import Any

import pytest
from wirecall.core.errors import RemoteProtocolError, RequestTimeout
from wirecall.core.exchange import Settings

from tests.plugins.http.scripted_server import Reply, ok, scripted

CHUNKED_REPLY = Reply(
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"7\r\nchunked\r\n6\r\n body!\r\n0\r\n\r\n"
)


async def test_chunked_body_then_the_same_connection(send: Any) -> None:
    async with scripted(CHUNKED_REPLY, ok(b"next")) as server:
        first = await send(f"{server.url}/chunked")
        second = await send(f"{server.url}/next")
    assert (first.code, first.text()) == (200, "chunked body!")
    assert first.header("transfer-encoding") == "chunked"
    assert second.text() == "next"
    assert server.connections == 1


@pytest.mark.parametrize(
    ("method", "reply"),
    [
        ("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"),
        ("DELETE", b"HTTP/1.1 204 No Content\r\n\r\n"),
        ("GET", b"HTTP/1.1 304 Not Modified\r\nETag: abc\r\n\r\n"),
    ],
)
async def test_replies_without_a_body_keep_the_connection(
    send: Any, method: str, reply: bytes
) -> None:
    async with scripted(Reply(reply), ok(b"after")) as server:
        response = await send({"method": method, "url": f"{server.url}/x"})
        after = await send(f"{server.url}/after")
    assert response.body == b""
    assert response.header("content-length") in (None, "1234")
    assert after.text() == "after"
    assert server.connections == 1


async def test_server_closing_after_a_response_means_a_new_connection(send: Any) -> None:
    async with scripted(Reply(ok(b"one").data, close=True), ok(b"two")) as server:
        assert (await send(f"{server.url}/1")).text() == "one"
        assert (await send(f"{server.url}/2")).text() == "two"
    assert server.connections == 2


async def test_connection_close_header_means_a_new_connection(send: Any) -> None:
    async with scripted(ok(b"one", "Connection: close"), ok(b"two")) as server:
        await send(f"{server.url}/1")
        assert (await send(f"{server.url}/2")).text() == "two"
    assert server.connections == 2


async def test_request_on_a_connection_the_server_dropped_is_sent_again(send: Any) -> None:
    # The server keeps the first connection open, then hangs up when the second request
    # arrives, as a server whose idle timeout ran out just then does.
    raw = {"method": "POST", "url": "", "body": {"mode": "raw", "raw": "payload"}}
    async with scripted(ok(b"one"), Reply(close=True), ok(b"two")) as server:
        await send({**raw, "url": f"{server.url}/1"})
        response = await send({**raw, "url": f"{server.url}/2"})
    assert response.text() == "two"
    assert server.requests[1] == server.requests[2]  # the same bytes, on a new connection
    assert server.requests[1].endswith(b"\r\n\r\npayload")
    assert server.connections == 2


async def test_a_request_is_sent_again_only_once(send: Any) -> None:
    async with scripted(ok(), Reply(close=True), Reply(close=True), ok()) as server:
        await send(f"{server.url}/1")
        address = server.url.removeprefix("http://")
        message = f"^bad response from {address}: Server disconnected without sending a response.$"
        with pytest.raises(RemoteProtocolError, match=message):
            await send(f"{server.url}/2")
    assert len(server.requests) == 3


async def test_a_new_connection_closed_without_a_reply_is_not_retried(send: Any) -> None:
    async with scripted(Reply(close=True), ok()) as server:
        with pytest.raises(RemoteProtocolError, match="Server disconnected without sending"):
            await send(f"{server.url}/1")
    assert len(server.requests) == 1


async def test_body_until_the_server_closes(send: Any) -> None:
    reply = Reply(
        b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nread until close", close=True
    )
    async with scripted(reply, ok(b"next")) as server:
        response = await send(f"{server.url}/old")
        assert (await send(f"{server.url}/next")).text() == "next"
    assert (response.text(), response.http_version) == ("read until close", "HTTP/1.0")
    assert server.connections == 2


async def test_body_cut_short_fails_the_request(send: Any) -> None:
    reply = Reply(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", close=True)
    async with scripted(reply) as server:
        message = r"peer closed connection without sending complete message body \(received 5 bytes, expected 10\)"
        with pytest.raises(RemoteProtocolError, match=message):
            await send(f"{server.url}/short")


@pytest.mark.parametrize(
    "reply",
    [Reply(ok().data, delay=5), Reply(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")],
    ids=["no reply", "body stalls"],
)
async def test_read_timeout(send: Any, reply: Reply) -> None:
    async with scripted(reply, ok()) as server:  # a reply left: the connection stays open
        address = server.url.removeprefix("http://")
        message = f"^timeout: no response from {address} within 200 ms$"
        with pytest.raises(RequestTimeout, match=message):
            await send(f"{server.url}/slow", settings=Settings(timeout_request_ms=200))


async def test_large_bodies_both_ways(echo: Any, send: Any, http_server: str) -> None:
    text = "0123456789abcdef" * (4 * 1024 * 1024 // 16)  # 4 MiB
    got = await echo(
        {"method": "POST", "url": f"{http_server}/post", "body": {"mode": "raw", "raw": text}}
    )
    assert hashlib.sha256(got["data"].encode()).digest() == hashlib.sha256(text.encode()).digest()
    size = 3 * 1024 * 1024
    response = await send(f"{http_server}/bytes/{size}")
    assert response.body == bytes(i % 256 for i in range(size))


async def test_cookies_set_in_any_header_case_reach_the_jar(send: Any) -> None:
    jar = http.cookiejar.CookieJar()
    async with scripted(ok(b"", "sEt-CoOkIe: theme=dark; Path=/"), ok(b"")) as server:
        await send(f"{server.url}/set", cookies=jar)
        await send(f"{server.url}/get", cookies=jar)
    assert [(c.name, c.value) for c in jar] == [("theme", "dark")]
    assert b"\r\nCookie: theme=dark\r\n" in server.requests[1]


async def test_host_names_are_resolved(send: Any) -> None:
    async with scripted(ok(b"by name")) as server:
        response = await send(server.url.replace("127.0.0.1", "localhost") + "/x")
    assert response.text() == "by name"


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
async def test_ipv6_addresses(send: Any) -> None:
    async with scripted(ok(b"over IPv6"), host="::1") as server:
        response = await send(f"{server.url}/x")
    assert response.text() == "over IPv6"
    assert response.url.startswith("http://[::1]:")


async def test_concurrent_requests_each_get_a_connection(echo: Any, http_server: str) -> None:
    answers = await asyncio.gather(*(echo(f"{http_server}/delay/0.2?n={n}") for n in range(4)))
    ports = {answer["client"]["port"] for answer in answers}
    assert [answer["args"]["n"] for answer in answers] == ["0", "1", "2", "3"]
    assert len(ports) == 4
    assert (await echo(f"{http_server}/get"))["client"]["port"] in ports  # kept alive
