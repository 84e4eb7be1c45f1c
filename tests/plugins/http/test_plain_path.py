"""The plain path (plugins/http/plain.py) sends what httpx's client sends and records what it
records: each case runs through a real HttpHandler twice against a scripted server, once as
it is and once with the plain path turned off (every request built and read by httpx), and
the bytes on the wire and the records must be equal."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from wirecall.core.errors import ConnectError
from wirecall.core.exchange import Exchange
from wirecall.plugins.http.client import RunClient
from wirecall.plugins.http.handler import USER_AGENT, HttpHandler
from wirecall.plugins.http.plain import plain_request
from wirecall.plugins.http.transport import PlainTransport

from tests.plugins.http.conftest import AT
from tests.plugins.http.scripted_server import Reply, ok, scripted

PLAIN_ITEMS: list[dict[str, Any]] = [
    {"url": "{url}/get?x=42&i=1&flag"},
    {"method": "POST", "url": "{url}/post?q=a:b@c/d?e", "body": {"mode": "raw", "raw": '{"a": 1}',
     "options": {"raw": {"language": "json"}}}},
    {"method": "PUT", "url": "{url}/empty"},
    {"method": "PATCH", "url": "{url}/empty-raw", "body": {"mode": "raw", "raw": ""}},
    {"method": "delete", "url": "{url}/lower-case-method"},
    {"url": "{url}/defaults-replaced", "header": [
        {"key": "accept", "value": "application/json"}, {"key": "User-Agent", "value": "me"},
        {"key": "X-Dup", "value": "1"}, {"key": "x-dup", "value": "2"}, {"key": "X-Empty", "value": ""}]},
    {"url": "{url}/host-given", "header": [{"key": "Host", "value": "api.example.test"}]},
    {"method": "POST", "url": "{url}/length-given", "header": [{"key": "Content-Length", "value": "2"}],
     "body": {"mode": "raw", "raw": "ok"}},
    {"method": "POST", "url": "{url}/form", "body": {"mode": "urlencoded", "urlencoded": [
        {"key": "a", "value": "1 2"}, {"key": "b", "value": "é"}]}},
]  # fmt: skip


async def both_paths(
    monkeypatch: pytest.MonkeyPatch, items: list[dict[str, Any]], replies: list[Reply]
) -> tuple[Any, Any, int]:
    """What the server saw and the records (timing left out; the server's address made
    neutral), with the plain path and without it; how many requests took the plain path."""
    outcomes = []
    sent_plain: list[bytes] = []
    send_plain = PlainTransport.send_plain

    async def counted(transport: PlainTransport, origin: Any, head: Any, *rest: Any) -> Any:
        sent_plain.append(head.data.split(b"\r\n")[0])
        return await send_plain(transport, origin, head, *rest)

    monkeypatch.setattr(PlainTransport, "send_plain", counted)
    for plain in (True, False):
        if not plain:
            monkeypatch.setattr(RunClient, "plain_request", lambda *args: None)
            plain_sends = len(sent_plain)
            sent_plain.clear()
        async with HttpHandler() as handler, scripted(*replies) as server:
            records = []
            for item in items:
                raw = {**item, "url": item["url"].format(url=server.url)}
                response = await handler.send(handler.parse(raw, AT), Exchange())
                records.append(repr({**vars(response), "response_time_ms": 0}))
        address = server.url.removeprefix("http://")
        seen = [request.replace(address.encode(), b"HOST") for request in server.requests]
        records = [record.replace(address, "HOST") for record in records]
        outcomes.append((seen, records, server.connections))
    assert not sent_plain  # the reference run did turn the plain path off
    return outcomes[0], outcomes[1], plain_sends


async def test_plain_requests_put_the_same_bytes_on_the_wire(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replies = [ok(b"%d" % i, "X-Reply: 1") for i in range(len(PLAIN_ITEMS))]
    plain, httpx_path, plain_sends = await both_paths(monkeypatch, PLAIN_ITEMS, replies)
    seen, records, connections = plain
    assert plain_sends == len(PLAIN_ITEMS)
    assert seen[0] == (
        b"GET /get?x=42&i=1&flag HTTP/1.1\r\nHost: HOST\r\nAccept: */*\r\n"
        b"Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
        b"User-Agent: " + USER_AGENT.encode() + b"\r\n\r\n"
    )
    assert len(seen) == len(PLAIN_ITEMS) and connections == 1
    assert plain == httpx_path


LEFT_TO_HTTPX = {
    "redirect followed": (
        [{"url": "{url}/old"}],
        [Reply(b"HTTP/1.1 302 Found\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n"), ok(b"new")],
    ),
    "cookie stored, then sent": (
        [{"url": "{url}/login"}, {"url": "{url}/me"}],
        [ok(b"in", "Set-Cookie: sid=s3cr3t; Path=/"), ok(b"me")],
    ),
    "body decoded": (
        [{"url": "{url}/gzip"}],
        [ok(gzip.compress(b"unzipped"), "Content-Encoding: gzip")],
    ),
}


@pytest.mark.parametrize("case", LEFT_TO_HTTPX)
async def test_responses_left_to_httpx_end_as_on_its_path(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    items, replies = LEFT_TO_HTTPX[case]
    plain, httpx_path, plain_sends = await both_paths(monkeypatch, items, replies)
    assert plain_sends == 1  # the first request; httpx took over from its response
    assert len(plain[0]) == len(replies)  # each request went out once
    assert plain == httpx_path


@pytest.mark.parametrize(
    "url",
    [
        "http://h:1/a%20b",  # a percent escape
        "http://h:1/a/../b",  # dot segments
        "http://h:1/./b",
        "http://h:80/x",  # the default port (httpx drops it from Host)
        "http://H:1/x",  # httpx lower-cases the host
        "http://u:p@h:1/x",  # credentials
        "http://h:1/x#frag",  # a fragment
        "http://h:1/x?",  # an empty query
        "http://h:1",  # no path
        "http://h:1/ä",  # non-ASCII
        "http://999.1.1.1:1/x",  # not an IPv4 address
        "http://h:99999/x",
        "https://h:1/x",
    ],
)
def test_urls_httpx_would_rewrite_are_not_plain(url: str) -> None:
    transport = PlainTransport(lambda: None)  # type: ignore[arg-type,return-value]
    assert plain_request(transport, [], "GET", url, [], None) is None
    assert plain_request(transport, [], "GET", "http://h:1/x", [], None) is not None


def test_headers_httpx_would_refuse_are_not_plain() -> None:
    transport = PlainTransport(lambda: None)  # type: ignore[arg-type,return-value]
    assert plain_request(transport, [], "GET", "http://h:1/x", [("X-A", "é")], None) is None
    assert plain_request(transport, [], "GET", "http://h:1/x", [("Bad Name", "v")], None) is None
    wrong_length = [("Content-Length", "5")]
    assert plain_request(transport, [], "POST", "http://h:1/x", wrong_length, b"ok") is None


async def test_a_failed_plain_request_names_its_address() -> None:
    async with scripted() as server:
        url = server.url
    async with HttpHandler() as handler:
        with pytest.raises(ConnectError) as failed:
            await handler.send(handler.parse({"url": f"{url}/x"}, AT), Exchange())
    assert str(failed.value) == f"connection refused: {url.removeprefix('http://')}"
