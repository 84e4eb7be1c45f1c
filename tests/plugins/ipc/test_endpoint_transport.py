"""core.endpoint_transport over real Unix sockets: the code that carries HTTP over Windows named pipes.

The transport only ever calls ``endpoint.open_connection()``, so a UnixEndpoint in front of
the uvicorn echo server exercises all of it (pooling, bodies, timeouts, TLS) on Linux.
"""

import asyncio
import os
import ssl
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from wirecall.core.endpoint_transport import EndpointTransport
from wirecall.core.errors import ConnectError, TLSError
from wirecall.core.httpx_errors import map_httpx_errors
from wirecall.plugins.ipc.transports import UnixEndpoint

from tests.fixtures import ServerAddress, running, socket_dir


@dataclass(frozen=True)
class CountingEndpoint(UnixEndpoint):
    """A UnixEndpoint that records each connection it opens (to see keep-alive at work)."""

    opened: list[int] = field(default_factory=list, compare=False)

    async def open_connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        self.opened.append(1)
        return await super().open_connection()


@pytest.fixture(scope="module")
def uds_https_server() -> Iterator[tuple[str, ServerAddress]]:
    """(socket path, address with .ca) of the echo server speaking TLS on a Unix socket."""
    with socket_dir("wc-tls-") as folder:
        path = os.path.join(folder, "https.sock")
        with running("http", "--uds", path, "--tls") as address:
            yield path, address


@pytest.fixture(scope="module")
def uds_http2_server() -> Iterator[tuple[str, ServerAddress]]:
    """(socket path, address with .ca) of the echo server under hypercorn: HTTP/2 by ALPN."""
    with socket_dir("wc-h2-") as folder:
        path = os.path.join(folder, "h2.sock")
        with running("http", "--uds", path, "--tls", "--http2") as address:
            yield path, address


def endpoint(path: str) -> CountingEndpoint:
    return CountingEndpoint(kind="unix", path=path, url="")


@pytest.fixture
async def client(uds_http_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=EndpointTransport(endpoint(uds_http_server))) as client:
        yield client


async def test_get_goes_to_localhost_with_the_request_path(client: httpx.AsyncClient) -> None:
    response = await client.get("http://localhost/anything/x?y=1")
    got = response.json()
    assert (response.status_code, response.http_version) == (200, "HTTP/1.1")
    assert (got["path"], got["args"], got["headers"]["host"]) == (
        "/anything/x",
        {"y": "1"},
        "localhost",
    )


async def test_post_sends_and_receives_a_large_body(client: httpx.AsyncClient) -> None:
    body = "0123456789abcdef" * 65536  # 1 MiB: many writes and reads
    response = await client.post(
        "http://localhost/post", content=body, headers={"Content-Type": "text/plain"}
    )
    assert response.json()["data"] == body
    assert response.headers["content-type"] == "application/json"


async def test_one_connection_serves_consecutive_requests(uds_http_server: str) -> None:
    counting = endpoint(uds_http_server)
    async with httpx.AsyncClient(transport=EndpointTransport(counting)) as client:
        codes = [
            (await client.get(f"http://localhost/status/{code}")).status_code
            for code in (200, 201, 404)
        ]
    assert codes == [200, 201, 404]
    assert len(counting.opened) == 1


async def test_read_timeout_is_httpx_read_timeout(client: httpx.AsyncClient) -> None:
    with pytest.raises(httpx.ReadTimeout):
        await client.get("http://localhost/delay/10", timeout=0.2)
    assert (await client.get("http://localhost/get")).status_code == 200  # the pool recovers


async def test_endpoint_errors_pass_through_with_the_path(tmp_path: object) -> None:
    missing = f"{tmp_path}/absent.sock"
    async with httpx.AsyncClient(transport=EndpointTransport(endpoint(missing))) as client:
        with pytest.raises(ConnectError, match=f"unix socket {missing} does not exist"):
            await client.get("http://localhost/")


async def test_https_over_a_unix_socket(uds_https_server: tuple[str, ServerAddress]) -> None:
    path, address = uds_https_server
    trusted = ssl.create_default_context(cafile=address.ca)
    async with httpx.AsyncClient(
        transport=EndpointTransport(endpoint(path), ssl_context=trusted)
    ) as client:
        first = await client.get("https://localhost/get?a=1")
        second = await client.post("https://localhost/post", content=b"over tls")
    assert (first.json()["url"], second.json()["data"]) == ("https://localhost/get?a=1", "over tls")


async def test_untrusted_certificate_over_a_socket_is_a_tls_error(
    uds_https_server: tuple[str, ServerAddress],
) -> None:
    path, _ = uds_https_server
    async with httpx.AsyncClient(
        transport=EndpointTransport(endpoint(path), ssl_context=ssl.create_default_context())
    ) as client:
        with (
            pytest.raises(TLSError, match="certificate verification failed"),
            map_httpx_errors("http", None, path),
        ):
            await client.get("https://localhost/get")


async def test_http2_over_a_unix_socket(uds_http2_server: tuple[str, ServerAddress]) -> None:
    path, address = uds_http2_server
    trusted = ssl.create_default_context(cafile=address.ca)
    counting = endpoint(path)
    transport = EndpointTransport(counting, ssl_context=trusted, http2=True)
    async with httpx.AsyncClient(transport=transport) as client:
        got = await client.get("https://localhost/get")
        posted = await client.post("https://localhost/post", content="z" * 200_000)
    assert (got.http_version, got.json()["http_version"]) == ("HTTP/2", "2")
    assert len(posted.json()["data"]) == 200_000
    assert len(counting.opened) == 1
