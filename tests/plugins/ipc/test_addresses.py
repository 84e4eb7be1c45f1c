"""Address forms for Unix sockets and named pipes, parsed on every OS."""

import asyncio
import socket
import sys
from pathlib import Path

import pytest
from wirecall.core.errors import ConnectError
from wirecall.core.plugins import PluginHost
from wirecall.plugins.ipc.addresses import parse_address


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://unix:/tmp/app.sock:/hello", ("unix", "/tmp/app.sock", "http", "/hello")),
        ("https://unix:/run/a.sock:/v1/x?t=10:30", ("unix", "/run/a.sock", "https", "/v1/x?t=10:30")),
        ("unix:/var/run/docker.sock:/v1.43/containers/json", ("unix", "/var/run/docker.sock", "http", "/v1.43/containers/json")),
        ("unix:/tmp/grpc.sock", ("unix", "/tmp/grpc.sock", "http", "/")),
        ("ws://unix:/tmp/ws.sock:/chat", ("unix", "/tmp/ws.sock", "ws", "/chat")),
        ("grpc://unix:/tmp/g.sock", ("unix", "/tmp/g.sock", "grpc", "/")),
        ("http://unix:\\\\.\\pipe\\myserver:/hello", ("npipe", "\\\\.\\pipe\\myserver", "http", "/hello")),
        ("http://unix://./pipe/myserver:/hello", ("npipe", "\\\\.\\pipe\\myserver", "http", "/hello")),
        ("npipe:////./pipe/docker_engine:/v1.43/info", ("npipe", "\\\\.\\pipe\\docker_engine", "http", "/v1.43/info")),
    ],
)
def test_address_forms(url: str, expected: tuple[str, str, str, str]) -> None:
    assert parse_address(url) == expected


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/unix:/x", "https://example.com/a", "unix:relative.sock:/x", "ws://host/unix:"])
def test_other_addresses_are_plain_tcp(url: str) -> None:
    assert parse_address(url) is None
    assert PluginHost().endpoint(url) is None


def test_endpoint_hook_gives_the_wire_url() -> None:
    endpoint = PluginHost().endpoint("http://unix:/tmp/app.sock:/v1/info?a=1")
    assert (endpoint.kind, endpoint.path, endpoint.url) == ("unix", "/tmp/app.sock", "http://localhost/v1/info?a=1")


def test_missing_socket_and_non_socket_path_fail_with_the_path(tmp_path: Path) -> None:
    missing = PluginHost().endpoint(f"unix:{tmp_path}/none.sock:/x")
    with pytest.raises(ConnectError, match=f"unix socket {tmp_path}/none.sock does not exist"):
        asyncio.run(missing.open_connection())
    plain = tmp_path / "file.txt"
    plain.write_text("x")
    not_socket = PluginHost().endpoint(f"unix:{plain}:/x")
    with pytest.raises(ConnectError, match="file.txt is not a unix socket"):
        asyncio.run(not_socket.open_connection())


def test_unix_endpoint_opens_a_real_connection(tmp_path: Path) -> None:
    path = str(tmp_path / "echo.sock")

    async def scenario() -> bytes:
        async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(await reader.readline())
            await writer.drain()
            writer.close()

        server = await asyncio.start_unix_server(echo, path)
        async with server:
            reader, writer = await PluginHost().endpoint(f"unix:{path}").open_connection()
            writer.write(b"ping\n")
            line = await reader.readline()
            writer.close()
            await writer.wait_closed()
            return line

    assert asyncio.run(scenario()) == b"ping\n"


def test_refused_socket_says_no_server_listening(tmp_path: Path) -> None:
    path = tmp_path / "dead.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()  # the file stays, nobody listens
    with pytest.raises(ConnectError, match="no server listening"):
        asyncio.run(PluginHost().endpoint(f"unix:{path}").open_connection())


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows error")
def test_named_pipe_outside_windows_says_windows_only() -> None:
    endpoint = PluginHost().endpoint("npipe:////./pipe/docker_engine:/info")
    with pytest.raises(ConnectError, match="named pipes are Windows-only"):
        asyncio.run(endpoint.open_connection())
