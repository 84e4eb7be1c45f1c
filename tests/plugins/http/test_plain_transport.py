"""The plain-http transport says and hears what httpcore does: the same bytes on the wire, the
same responses from odd but valid replies, the same errors (and messages) from broken ones.

Each case runs twice against a scripted server: through httpx's own transport and through
PlainTransport, and the two outcomes must be equal.
"""

from __future__ import annotations

import contextlib
import re
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from wirecall.core.errors import WirecallError
from wirecall.core.httpx_errors import map_httpx_errors
from wirecall.plugins.http.transport import PlainTransport

from tests.plugins.http.scripted_server import Reply, ScriptedServer, ok, scripted

KINDS = ("httpcore", "plain")


@contextlib.asynccontextmanager
async def client(kind: str) -> AsyncIterator[httpx.AsyncClient]:
    httpcore = httpx.AsyncHTTPTransport()
    transport = PlainTransport(lambda: httpcore) if kind == "plain" else httpcore
    async with httpx.AsyncClient(transport=transport) as http:
        yield http


async def outcome(kind: str, server: ScriptedServer, method: str = "GET", **options: Any) -> Any:
    """What a user gets: the response's parts, or the error message (the port made neutral)."""
    async with client(kind) as http:
        try:
            with map_httpx_errors("http"):
                response = await http.request(method, server.url + "/x", **options)
        except WirecallError as exc:
            return str(exc).replace(server.url.removeprefix("http://"), "HOST")
    return (
        response.status_code,
        response.reason_phrase,
        response.http_version,
        response.headers.raw,
        response.content,
    )


async def both(replies: list[Reply], send: Callable[[str, ScriptedServer], Any]) -> list[Any]:
    """``send(kind, server)``'s result, the requests the server saw (its address made neutral)
    and how many connections they came on, once per transport kind."""
    results = []
    for kind in KINDS:
        async with scripted(*replies) as server:
            result = await send(kind, server)
        address = server.url.removeprefix("http://").encode()
        seen = [request.replace(address, b"HOST") for request in server.requests]
        results.append((result, seen, server.connections))
    return results


async def _body_chunks() -> AsyncIterator[bytes]:
    for part in (b"first,", b"", b"second"):
        yield part


REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/get?x=1&y=a%20b", {"headers": [("X-Case", "Mixed"), ("x-empty", ""), ("X-Dup", "1"), ("X-Dup", "2")]}),
    ("POST", "/post", {"content": b'{"a": 1}', "headers": {"Content-Type": "application/json"}}),
    ("POST", "/stream", {"content": _body_chunks}),  # no length: chunked
    ("POST", "/upload", {"files": {"f": ("a.txt", b"file bytes")}, "data": {"k": "v"},
                         "headers": {"Content-Type": "multipart/form-data; boundary=b0undary"}}),
    ("PUT", "/empty", {"content": b""}),
    ("GET", "/host", {"headers": {"Host": "api.example.test"}}),
    ("GET", "/päth/ü?q=ä&r=%2F", {}),
    ("DELETE", "/last", {"headers": {"Connection": "close"}}),
    ("GET", "/after-close", {}),
]  # fmt: skip


async def test_requests_put_the_same_bytes_on_the_wire() -> None:
    async def send_all(kind: str, server: ScriptedServer) -> list[Any]:
        async with client(kind) as http:
            responses = []
            for method, path, options in REQUESTS:
                options = {**options}
                if callable(options.get("content")):
                    options["content"] = options["content"]()
                responses.append((await http.request(method, server.url + path, **options)).text)
            return responses

    (core, core_seen, core_connections), (plain, plain_seen, plain_connections) = await both(
        [ok(str(i).encode()) for i in range(len(REQUESTS))], send_all
    )
    assert plain == core == [str(i) for i in range(len(REQUESTS))]
    assert [request.split(b"\r\n")[0] for request in plain_seen][-1] == b"GET /after-close HTTP/1.1"
    assert plain_seen == core_seen
    assert plain_connections == core_connections == 2  # "Connection: close" ends the first


CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
VALID_REPLIES = {
    "chunked with extensions and trailers": CHUNKED
    + b"5;ext=1\r\nhello\r\n1 \r\n,\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
    "Transfer-Encoding beats Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n"
    b"Transfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    "repeated Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok",
    "folded and padded headers": b"HTTP/1.1 200 Fine Thanks\r\nX-Fold: a\r\n \t b\r\nX-Pad:  \t v \t\r\n"
    b"x-empty:\r\nContent-Length: 0\r\n\r\n",
    "no reason phrase, bare LF lines": b"HTTP/1.1 201\nContent-Length: 1\n\n!",
    "informational response first": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "HTTP/1.0 body until close": b"HTTP/1.0 200 OK\r\nX-A: 1\r\n\r\nold-style body",
    "204 without a body": b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
    "304 without a body": b"HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n",
    "non-ASCII reason and header": "HTTP/1.1 200 Ça va\r\nX-U: é\r\nContent-Length: 0\r\n\r\n".encode(),
}


@pytest.mark.parametrize("reply", VALID_REPLIES.values(), ids=VALID_REPLIES)
async def test_valid_replies_read_the_same(reply: bytes) -> None:
    (core, *_), (plain, *_) = await both([Reply(reply, close=True)], outcome)
    assert not isinstance(core, str), core
    assert plain == core


async def test_head_reply_has_no_body_whatever_its_length() -> None:
    reply = Reply(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")

    async def head(kind: str, server: ScriptedServer) -> Any:
        return await outcome(kind, server, "HEAD")

    (core, *_), (plain, *_) = await both([reply], head)
    assert plain == core and plain[4] == b""


BROKEN_REPLIES = {
    "body cut short": b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
    "chunked body cut short": CHUNKED + b"5\r\nhel",
    "bad chunk size": CHUNKED + b"zz\r\nhello\r\n0\r\n\r\n",
    "bad chunk footer": CHUNKED + b"2\r\nokXX0\r\n\r\n",
    "no reply at all": b"",
    "head cut short": b"HTTP/1.1 200 OK\r\nContent-Le",
    "bad status line": b"HTTX/1.1 200 OK\r\n\r\n",
    "bad header line": b"HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
    "folded first header": b"HTTP/1.1 200 OK\r\n folded: x\r\n\r\n",
    "unknown transfer coding": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
    "conflicting lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok",
    "bad length": b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    "blank line first": b"\r\nHTTP/1.1 200 OK\r\n\r\n",
}


@pytest.mark.parametrize("reply", BROKEN_REPLIES.values(), ids=BROKEN_REPLIES)
async def test_broken_replies_fail_with_the_same_message(reply: bytes) -> None:
    (core, *_), (plain, *_) = await both([Reply(reply, close=True)], outcome)
    assert isinstance(core, str), core
    assert plain == core


@pytest.mark.parametrize(
    "reply",
    [b"", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"],
    ids=["before the reply", "in the body"],
)
async def test_connection_reset_fails_with_the_same_message(reply: bytes) -> None:
    (core, *_), (plain, *_) = await both([Reply(reply, reset=True)], outcome)
    assert plain == core == "connection to HOST lost: ReadError"


async def test_requests_h11_would_rewrite_are_left_to_httpcore() -> None:
    # h11 frames a body with both headers as chunked and lower-cases the coding it writes
    options = {"headers": {"Transfer-Encoding": "Chunked"}, "content": b"x"}

    async def send(kind: str, server: ScriptedServer) -> Any:
        return await outcome(kind, server, "OPTIONS", **options)

    (core, core_seen, _), (plain, plain_seen, _) = await both([ok()], send)
    assert plain == core and plain[0] == 200
    assert plain_seen == core_seen
    assert b"Transfer-Encoding: chunked\r\nContent-Length: 1\r\n" in plain_seen[0]


async def test_requests_httpcore_refuses_fail_the_same() -> None:
    async def bad_header(kind: str, server: ScriptedServer) -> Any:
        return await outcome(kind, server, headers={"X-Bad": "trailing space "})

    (core, *_), (plain, *_) = await both([ok()], bad_header)
    assert plain == core == "HTTP request to HOST failed: Illegal header value b'trailing space '"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [f"http://127.0.0.1:{_closed_port()}/", "http://nope.invalid/"],
    ids=["refused", "unknown host"],
)
async def test_connect_errors_read_the_same(url: str) -> None:
    messages = []
    for kind in KINDS:
        async with client(kind) as http:
            with pytest.raises(WirecallError) as info, map_httpx_errors("http"):
                await http.get(url)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert re.match(r"(connection refused|cannot resolve host): ", messages[1])


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A port whose listen queue is full: connection attempts get no answer until they time out."""
    with socket.socket() as listener, contextlib.ExitStack() as stack:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = int(listener.getsockname()[1])
        for _ in range(3):
            filler = stack.enter_context(socket.socket())
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
        yield port


async def test_connect_timeout_reads_the_same(unanswered_port: int) -> None:
    messages = []
    for kind in KINDS:
        async with client(kind) as http:
            with pytest.raises(WirecallError) as info, map_httpx_errors("http", 300):
                await http.get(f"http://127.0.0.1:{unanswered_port}/", timeout=0.3)
        messages.append(str(info.value))
    expected = f"connect timeout: no connection to 127.0.0.1:{unanswered_port} within 300 ms"
    assert messages == [expected, expected]
