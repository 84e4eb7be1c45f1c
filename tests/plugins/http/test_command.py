"""``wirecall http``: httpie-style request items, output and exit codes, through ``main()``."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.clirun import CliResult, run_cli
from tests.fixtures import ServerAddress


def wirecall(*argv: str, tty: bool = False, env: dict[str, str] | None = None) -> CliResult:
    return run_cli("http", *argv, tty=tty, env=env, plugins=("http",))


def test_get_with_query_and_headers_prints_only_the_body_when_piped(http_server: str) -> None:
    result = wirecall(f"{http_server}/get", "q==two words", "X-Api-Key:k1")
    assert result.code == 0, result.err
    got = result.json()  # nothing but the body
    assert got["method"] == "GET" and got["args"] == {"q": "two words"}
    assert got["headers"]["x-api-key"] == "k1"


def test_data_items_make_a_json_post(http_server: str) -> None:
    result = wirecall(f"{http_server}/post", "name=wire", "n:=3", 'tags:=["a", "b"]')
    got = result.json()
    assert got["method"] == "POST"
    assert got["json"] == {"name": "wire", "n": 3, "tags": ["a", "b"]}
    assert got["headers"]["content-type"] == "application/json"
    assert got["headers"]["accept"] == "application/json, */*;q=0.5"


def test_explicit_method_and_form(http_server: str) -> None:
    got = wirecall("--form", "PUT", f"{http_server}/put", "a=1", "b=x y").json()
    assert got["method"] == "PUT" and got["form"] == {"a": "1", "b": "x y"}


def test_file_items_upload_multipart(http_server: str, tmp_path: Path) -> None:
    upload = tmp_path / "report.csv"
    upload.write_text("a,b\n1,2\n")
    got = wirecall(f"{http_server}/post", f"doc@{upload}", "kind=csv").json()
    assert got["form"] == {"kind": "csv"}
    assert got["files"] == [
        {
            "name": "doc",
            "filename": "report.csv",
            "content_type": "text/csv",
            "content": "a,b\n1,2\n",
        }
    ]


def test_verbose_prints_request_and_response_heads(http_server: str) -> None:
    result = wirecall("-v", f"{http_server}/anything/v?x=1", "X-Trace:t-1")
    head, _, rest = result.out.partition("\n\n")
    assert head.splitlines()[0] == "GET /anything/v?x=1 HTTP/1.1"
    assert "X-Trace: t-1" in head.splitlines()
    assert rest.startswith("HTTP/1.1 200 OK\n")
    assert "content-type: application/json" in rest


def test_offline_prints_the_request_without_sending() -> None:
    result = wirecall("--offline", "example.invalid/post", "name=wire")
    assert result.code == 0
    assert result.out == (
        "POST /post HTTP/1.1\n"
        "Host: example.invalid\n"
        "Accept: application/json, */*;q=0.5\n"
        "Content-Type: application/json\n"
        "\n"
        '{"name": "wire"}\n\n'
    )


def test_terminal_output_is_pretty_and_coloured(http_server: str) -> None:
    result = wirecall(f"{http_server}/json", tty=True)
    assert result.out.startswith("\x1b[32m\x1b[1mHTTP/1.1 200 OK\x1b[0m\n")
    assert '\x1b[34m\x1b[1m"slideshow"\x1b[0m: {' in result.out
    plain = wirecall(f"{http_server}/json", tty=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.out
    assert plain.out.startswith("HTTP/1.1 200 OK\n")
    assert '\n{\n    "slideshow": {\n        "author": "Yours Truly",' in plain.out


def test_binary_body_is_not_shown_on_a_terminal(http_server: str) -> None:
    result = wirecall(f"{http_server}/bytes/64", "--print=b", tty=True)
    assert "NOTE: binary data not shown in terminal" in result.out


def test_check_status(http_server: str) -> None:
    assert wirecall(f"{http_server}/status/404").code == 0
    result = wirecall("--check-status", f"{http_server}/status/404")
    assert result.code == 1
    assert result.err == "wirecall http: warning: HTTP 404 Not Found\n"


def test_follow_redirects_only_with_follow(http_server: str) -> None:
    assert "HTTP/1.1 302 Found" in wirecall("-p", "h", f"{http_server}/redirect/1").out
    assert wirecall("-F", f"{http_server}/redirect/2").json()["path"] == "/get"


def test_verify_options(https_server: ServerAddress) -> None:
    url = f"{https_server.url}/get"
    failed = wirecall(url)
    assert failed.code == 1 and failed.err.startswith("error: TLS certificate verification failed")
    assert wirecall("--verify", https_server.ca, url).json()["method"] == "GET"
    assert wirecall("--verify=no", url).json()["method"] == "GET"


def test_connection_refused_is_one_line_and_exit_1() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = wirecall(f"http://127.0.0.1:{port}/")
    assert (result.code, result.err) == (1, f"error: connection refused: 127.0.0.1:{port}\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["localhost/x", "n:=nope"], "the value after := is not JSON"),
        (["localhost/x", "oops"], "is not a request item"),
        (["--print", "Hx", "--offline", "localhost/x"], "--print 'Hx'"),
    ],
)
def test_bad_usage_exits_2(argv: list[str], message: str) -> None:
    result = wirecall(*argv)
    assert result.code == 2 and message in result.err


def test_unix_socket_url_through_the_ipc_plugin(uds_http_server: str) -> None:
    result = run_cli(
        "http", f"http://unix:{uds_http_server}:/anything/sock?x=1", plugins=("http", "ipc")
    )
    assert result.code == 0, result.err
    got = result.json()
    assert (got["path"], got["args"]) == ("/anything/sock", {"x": "1"})
    assert got["headers"]["host"] == "localhost"


def test_method_then_host_and_port_url(http_server: str) -> None:
    host_port = http_server.removeprefix("http://")
    result = wirecall("POST", f"{host_port}/post", "name=ada", "X-Trace:1")
    assert result.code == 0, result.err
    got = result.json()
    assert (got["method"], got["json"], got["headers"]["x-trace"]) == ("POST", {"name": "ada"}, "1")
    assert wirecall("get", f"{host_port}/get").json()["method"] == "GET"
