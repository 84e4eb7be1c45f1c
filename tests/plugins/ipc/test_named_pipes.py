"""HTTP over Windows named pipes: the clear error elsewhere, the plugin's pipe path, and real pipes.

Real named pipes exist only on Windows, so those tests are skipped elsewhere. They serve a
pipe with asyncio's ``start_serving_pipe`` (the proactor loop) and relay each connection to
the uvicorn echo server over TCP; the same relay on a Unix socket runs on every OS, so the
scaffolding of the Windows tests is itself exercised on Linux.
"""

import asyncio
import contextlib
import json
import os
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from wirecall.core.errors import Location, RequestTimeout
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.protocol import Endpoint
from wirecall.plugins.http.handler import HttpHandler

from tests.clirun import run_cli
from tests.fixtures import socket_dir

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
WINDOWS_ONLY = pytest.mark.skipif(
    sys.platform != "win32", reason="named pipes exist only on Windows"
)
Connected = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


# -- outside Windows: the error a user sees --------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows error")
def test_wirecall_http_to_a_pipe_says_windows_only() -> None:
    result = run_cli("http", "npipe:////./pipe/docker_engine:/v1.43/info")
    assert result.code == 1
    assert "named pipe \\\\.\\pipe\\docker_engine: named pipes are Windows-only" in result.err


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows error")
def test_wirecall_run_fails_the_pipe_item_and_goes_on(tmp_path: Path, http_server: str) -> None:
    items = [
        {
            "name": "pipe",
            "request": {
                "method": "GET",
                "url": "http://unix:\\\\.\\pipe\\docker_engine:/v1.43/info",
            },
        },
        {"name": "tcp", "request": {"method": "GET", "url": f"{http_server}/get"}},
    ]
    collection = tmp_path / "c.json"
    collection.write_text(json.dumps({"info": {"name": "pipes", "schema": SCHEMA}, "item": items}))
    report = tmp_path / "r.json"
    result = run_cli("run", str(collection), "-r", "json", "--reporter-json-export", str(report))
    run = json.loads(report.read_text())["run"]
    assert result.code == 1
    assert [f["source"]["name"] for f in run["failures"]] == ["pipe"]
    assert (
        "named pipes are Windows-only; on this OS use a unix socket"
        in run["failures"][0]["error"]["message"]
    )
    assert [e["response"]["code"] for e in run["executions"] if e.get("response")] == [200]


# -- the HTTP plugin's pipe path, on any OS -----------------------------------------------------


@dataclass(frozen=True)
class SocketBackedPipe(Endpoint):
    """An ``npipe`` endpoint whose bytes go over a Unix socket: the HTTP plugin's pipe branch
    (EndpointTransport instead of httpx's ``uds=``) against the real echo server, on Linux."""

    socket: str = ""

    async def open_connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_unix_connection(self.socket)


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in pipe uses a Unix socket")
async def test_http_plugin_sends_pipe_endpoints_through_open_connection(
    uds_http_server: str,
) -> None:
    base = "http://unix:\\\\.\\pipe\\wc:"  # Postman's form of \\.\pipe\wc

    def endpoint_for(url: str) -> Endpoint:
        wire_url = f"http://localhost{url.removeprefix(base)}"
        return SocketBackedPipe("npipe", r"\\.\pipe\wc", wire_url, socket=uds_http_server)

    async with HttpHandler() as handler:

        async def send(raw: dict[str, Any], settings: Settings | None = None) -> Any:
            request = handler.parse(raw, Location("c.json", "$.item[0].request"))
            return await handler.send(
                request, Exchange(settings=settings, endpoint_for=endpoint_for)
            )

        got = (await send({"url": f"{base}/anything/p"})).json()
        posted = (await send({"method": "POST", "url": f"{base}/post",
                              "body": {"mode": "raw", "raw": "through the pipe"}})).json()  # fmt: skip
        with pytest.raises(
            RequestTimeout, match=r"no response from unix:\\\\\.\\pipe\\wc within 200 ms"
        ):
            await send({"url": f"{base}/delay/10"}, Settings(timeout_request_ms=200))
    assert (got["path"], got["headers"]["host"], posted["data"]) == (
        "/anything/p",
        "localhost",
        "through the pipe",
    )


# -- a real server on a pipe (Windows) or a socket (everywhere) ------------------------------


@dataclass
class Relay:
    address: str  # the pipe or socket the relay listens on
    connections: list[int]  # one entry per accepted connection


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _listen(address: str, connected: Connected) -> Callable[[], Awaitable[None]]:
    """Serve ``address`` (a named pipe on Windows, else a Unix socket); return its closer."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        loop = asyncio.get_running_loop()

        def factory() -> asyncio.StreamReaderProtocol:
            return asyncio.StreamReaderProtocol(asyncio.StreamReader(), connected)

        [pipe_server] = await loop.start_serving_pipe(factory, address)  # type: ignore[attr-defined]

        async def close_pipe() -> None:
            pipe_server.close()

        return close_pipe
    server = await asyncio.start_unix_server(connected, address)

    async def close_socket() -> None:
        server.close()
        await server.wait_closed()

    return close_socket


@contextlib.contextmanager
def relay(address: str, target: str) -> Iterator[Relay]:
    """Listen on ``address`` in a thread of its own and relay every connection to TCP ``target``."""
    host, port = urlsplit(target).hostname, urlsplit(target).port
    state = Relay(address, [])
    ready, stopped = threading.Event(), asyncio.Event()
    loop_box: list[asyncio.AbstractEventLoop] = []

    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections.append(1)
        up_reader, up_writer = await asyncio.open_connection(host, port)
        try:
            await asyncio.gather(_pump(reader, up_writer), _pump(up_reader, writer))
        finally:
            for each in (writer, up_writer):
                each.close()
                with contextlib.suppress(OSError):
                    await each.wait_closed()

    async def serve() -> None:
        loop_box.append(asyncio.get_running_loop())
        close = await _listen(address, connected)
        ready.set()
        await stopped.wait()
        await close()
        running = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(10), "relay did not start"
    try:
        yield state
    finally:
        loop_box[0].call_soon_threadsafe(stopped.set)
        thread.join(10)


@pytest.fixture(params=["unix", pytest.param("npipe", marks=WINDOWS_ONLY)])
def relayed(request: pytest.FixtureRequest, http_server: str) -> Iterator[tuple[str, Relay]]:
    """(base URL for a collection, relay) of the echo server behind a socket or a named pipe."""
    if request.param == "npipe":
        name = f"wirecall-test-{uuid.uuid4().hex[:12]}"
        with relay(rf"\\.\pipe\{name}", http_server) as state:
            yield f"http://unix:\\\\.\\pipe\\{name}:", state
        return
    with (
        socket_dir("wc-relay-") as folder,
        relay(os.path.join(folder, "r.sock"), http_server) as state,
    ):
        yield f"http://unix:{state.address}:", state


def test_collection_over_the_relayed_endpoint_keeps_one_connection(
    relayed: tuple[str, Relay], tmp_path: Path
) -> None:
    base, state = relayed

    def check(name: str, source: str) -> dict[str, Any]:
        return {"listen": "test", "script": {"exec": [f"pm.test({name!r}, () => {{ {source} }});"]}}

    items = [
        {"name": "get", "request": {"method": "GET", "url": "{{base}}/anything/a?x=1"},
         "event": [check("path", "pm.expect(pm.response.json().path).to.equal('/anything/a')")]},
        {"name": "post", "request": {"method": "POST", "url": "{{base}}/post", "body": {"mode": "raw", "raw": "x".join(["ab"] * 5000)}},
         "event": [check("body", "pm.expect(pm.response.json().data.length).to.equal(14999)")]},
        {"name": "host", "request": {"method": "GET", "url": "{{base}}/headers"},
         "event": [check("host", "pm.expect(pm.response.json().headers.host).to.equal('localhost')")]},
    ]  # fmt: skip
    collection = tmp_path / "c.json"
    collection.write_text(
        json.dumps({"info": {"name": "relayed", "schema": SCHEMA}, "item": items})
    )
    report = tmp_path / "r.json"
    result = run_cli(
        "run",
        str(collection),
        "--env-var",
        f"base={base}",
        "-r",
        "json",
        "--reporter-json-export",
        str(report),
    )
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [], result.out + result.err
    assert [a["assertion"] for e in run["executions"] for a in e["assertions"]] == [
        "path",
        "body",
        "host",
    ]
    assert len(state.connections) == 1  # kept alive for the whole run
    assert result.code == 0


@WINDOWS_ONLY
def test_wirecall_http_over_a_named_pipe(http_server: str) -> None:  # pragma: no cover - Windows
    name = f"wirecall-test-{uuid.uuid4().hex[:12]}"
    with relay(rf"\\.\pipe\{name}", http_server):
        result = run_cli("http", f"npipe:////./pipe/{name}:/anything/np?q=1")
    got = json.loads(result.out)
    assert result.code == 0, result.err
    assert (got["path"], got["args"], got["headers"]["host"]) == (
        "/anything/np",
        {"q": "1"},
        "localhost",
    )


@WINDOWS_ONLY
def test_missing_named_pipe_names_it() -> None:  # pragma: no cover - Windows
    result = run_cli("http", "npipe:////./pipe/wirecall-no-such-pipe:/")
    assert result.code == 1
    assert "named pipe \\\\.\\pipe\\wirecall-no-such-pipe does not exist" in result.err
