"""``wirecall grpc ...`` through the real CLI entry point, output compared with grpcurl's."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.clirun import CliResult, run_cli

from .conftest import PROTO_DIR, ROOT

DOC = ROOT / "docs" / "protocols" / "grpc.md"
RG = "routeguide.v1.RouteGuide"


@pytest.fixture(scope="module")
def target(plain: str) -> str:
    return plain.removeprefix("grpc://")


def wirecall(*argv: str, stdin: str = "") -> CliResult:
    return run_cli(*argv, stdin=stdin, plugins=("grpc",))


def documented_examples() -> list[tuple[str, str]]:
    """(command, expected output) of each console block in the doc with exactly one command."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(), re.DOTALL)
    examples = []
    for block in blocks:
        lines = block.splitlines()
        commands = [line for line in lines if line.startswith("$ ")]
        if len(commands) == 1 and lines[0].startswith("$ wirecall grpc"):
            examples.append((lines[0][2:], "\n".join(lines[1:]) + "\n"))
    return examples


@pytest.mark.parametrize(("command", "expected"), documented_examples())
def test_documented_examples(target: str, command: str, expected: str) -> None:
    argv = shlex.split(command.replace("localhost:50051", target))[1:]
    result = wirecall(*argv)
    assert result.out + result.err == expected


def test_docs_have_examples() -> None:
    assert len(documented_examples()) >= 4


def test_list_methods_of_a_service(target: str) -> None:
    result = wirecall("grpc", "list", "--plaintext", target, RG)
    assert result.out.splitlines()[:2] == [f"{RG}.GetFeature", f"{RG}.ListFeatures"]


@pytest.mark.parametrize(
    "flags",
    [
        [
            "--proto",
            "routeguide.proto",
            "--proto",
            "greeter.proto",
            "--import-path",
            str(PROTO_DIR),
        ],
        ["--proto", str(PROTO_DIR / "greeter.proto")],
    ],
)
def test_list_from_proto_files_needs_no_target(flags: list[str]) -> None:
    result = wirecall("grpc", "list", *flags)
    assert result.code == 0 and "greeter.v1.Greeter" in result.out.splitlines()


def test_list_from_protoset(protoset: str) -> None:
    result = wirecall("grpc", "list", "--protoset", protoset)
    assert result.out.splitlines() == ["greeter.v1.Greeter", RG]


def test_describe_a_service(target: str) -> None:
    result = wirecall("grpc", "describe", "--plaintext", target, RG)
    assert result.out.splitlines()[:3] == [
        f"{RG} is a service:",
        "service RouteGuide {",
        "  rpc GetFeature ( .geo.v1.Point ) returns ( .routeguide.v1.Feature );",
    ]
    assert (
        "  rpc RouteChat ( stream .routeguide.v1.RouteNote ) returns ( stream .routeguide.v1.RouteNote );"
        in result.out.splitlines()
    )


def test_describe_message_with_oneof_and_map(target: str) -> None:
    out = wirecall("grpc", "describe", "--plaintext", target, "routeguide.v1.Feature").out
    assert (
        "  map<string, string> labels = 4;\n  repeated string tags = 5;\n  oneof detail {\n" in out
    )


def test_example_message(target: str) -> None:
    result = wirecall("grpc", "example", "--plaintext", target, f"{RG}/RecordRoute")
    assert json.loads(result.out) == {"latitude": 0, "longitude": 0}
    feature = json.loads(
        wirecall("grpc", "example", "--plaintext", target, "routeguide.v1.Feature").out
    )
    assert (
        feature["updatedAt"] == "1970-01-01T00:00:00Z" and "visitors" not in feature
    )  # one of a oneof


def test_server_stream_prints_each_message(target: str) -> None:
    rect = '{"lo": {"latitude": 515000000, "longitude": -1300000}, "hi": {"latitude": 515100000}}'
    result = wirecall("grpc", "call", "--plaintext", target, f"{RG}/ListFeatures", "-d", rect)
    names = [json.loads(chunk)["name"] for chunk in result.out.split("\n\n")]
    assert names == ["Big Ben", "Tower Bridge"] and result.code == 0


def test_bidi_stream_from_ndjson_on_stdin(target: str) -> None:
    stdin = '{"message": "one"}\n{"message": "two"}\n'
    result = wirecall(
        "grpc", "call", "--plaintext", target, f"{RG}/RouteChat", "-d", "@", stdin=stdin
    )
    assert result.out == '{\n  "message": "ack: one"\n}\n\n{\n  "message": "ack: two"\n}\n'


def test_client_stream_from_a_file(target: str, tmp_path: Path) -> None:
    data = tmp_path / "route.json"
    data.write_text(
        '{"latitude": 515007000, "longitude": -1246000}\n{"latitude": 515055000, "longitude": -754000}\n'
    )
    result = wirecall("grpc", "call", "--plaintext", target, f"{RG}/RecordRoute", "-d", f"@{data}")
    summary = json.loads(result.out)
    assert summary["pointCount"] == 2 and summary["featureCount"] == 2


def test_verbose_shows_metadata_headers_and_trailers(target: str) -> None:
    result = wirecall(
        "grpc",
        "call",
        "-v",
        "--plaintext",
        target,
        f"{RG}/Echo",
        "-H",
        "x-id: 7",
        "-d",
        '{"message": "hi"}',
    )
    out = result.out
    assert out.startswith(
        "\nResolved method descriptor:\n"
        "rpc Echo ( .routeguide.v1.EchoRequest ) returns ( .routeguide.v1.EchoReply );\n"
        "\nRequest metadata to send:\nx-id: 7\n"
        "\nResponse headers received:\nx-echo-initial: yes\n"
        "\nResponse contents:\n{\n"
    )
    assert out.endswith(
        "\nResponse trailers received:\nx-echo-trailer: done\nx-echo-bin: AAH+\n"
        "Sent 1 request and received 1 response\n"
    )


def test_text_format(target: str) -> None:
    result = wirecall(
        "grpc",
        "call",
        "--format",
        "text",
        "--plaintext",
        target,
        "greeter.v1.Greeter/SayHello",
        "-d",
        '{"name": "Ada"}',
    )
    assert result.out == 'message: "Hello, Ada!"\n'


def test_emit_defaults(target: str) -> None:
    result = wirecall(
        "grpc",
        "call",
        "--emit-defaults",
        "--plaintext",
        target,
        "greeter.v1.Greeter/SayHello",
        "-d",
        '{"name": ""}',
    )
    assert json.loads(result.out) == {"message": "Hello, world!"}
    empty = wirecall(
        "grpc", "call", "--emit-defaults", "--plaintext", target, f"{RG}/Fail", "-d", '{"code": 0}'
    )
    assert (empty.code, empty.out) == (0, "{}\n")


def test_unknown_method_exits_2_with_close_matches(target: str) -> None:
    result = wirecall("grpc", "call", "--plaintext", target, f"{RG}/GetFeatur")
    assert result.code == 2
    assert result.err == (
        "error: service routeguide.v1.RouteGuide has no method 'GetFeatur'; "
        "did you mean GetFeature or ListFeatures?\n"
    )


def test_json_that_does_not_fit_exits_2(target: str) -> None:
    result = wirecall(
        "grpc", "call", "--plaintext", target, f"{RG}/GetFeature", "-d", '{"latitude": "x"}'
    )
    assert result.code == 2 and "latitude: expected int32" in result.err and result.out == ""
    broken = wirecall("grpc", "call", "--plaintext", target, f"{RG}/GetFeature", "-d", '{"a": ')
    assert broken.code == 2 and "not valid JSON" in broken.err


def test_unreachable_target_prints_status_and_reason() -> None:
    result = wirecall(
        "grpc",
        "call",
        "--plaintext",
        "127.0.0.1:9",
        "greeter.v1.Greeter/SayHello",
        "--proto",
        str(PROTO_DIR / "greeter.proto"),
    )
    assert result.code == 1
    assert result.err.startswith("ERROR:\n  Code: Unavailable\n  Message: ")
    assert "127.0.0.1:9" in result.err


def test_deadline_exceeded(target: str) -> None:
    result = wirecall(
        "grpc",
        "call",
        "--plaintext",
        "--max-time",
        "0.05",
        target,
        f"{RG}/Echo",
        "-d",
        '{"delayMs": 5000}',
    )
    assert result.code == 1 and "Code: DeadlineExceeded" in result.err


def test_tls_flags(tls_server: str, certs: dict[str, str]) -> None:
    host = tls_server.removeprefix("grpcs://")
    ok = wirecall(
        "grpc",
        "call",
        "--cacert",
        certs["ca"],
        "--servername",
        "grpc.example.test",
        host,
        "greeter.v1.Greeter/SayHello",
        "-d",
        '{"name": "tls"}',
    )
    assert json.loads(ok.out) == {"message": "Hello, tls!"}
    insecure = wirecall("grpc", "list", "--insecure", host)
    assert RG in insecure.out.splitlines()


def test_mtls_flags(mtls_server: str, certs: dict[str, str]) -> None:
    host = mtls_server.removeprefix("grpcs://")
    result = wirecall(
        "grpc",
        "call",
        "--cacert",
        certs["ca"],
        "--cert",
        certs["client"],
        "--key",
        certs["client_key"],
        "--authority",
        "grpc.example.test",
        host,
        "greeter.v1.Greeter/SayHello",
    )
    assert json.loads(result.out) == {"message": "Hello, world!"}


def test_no_reflection_says_how_to_pass_protos(server_factory: object) -> None:
    url = server_factory("--reflection", "none").address  # type: ignore[operator]
    result = wirecall("grpc", "list", url)
    assert result.code == 2 and "--proto FILE or --protoset FILE" in result.err


def test_wirecall_help_does_not_import_grpc() -> None:
    import subprocess
    import sys

    code = (
        "import sys, io; from wirecall.cli.main import main; from wirecall.cli.env import Environment;"
        "import wirecall.plugins.grpc as g; from wirecall.core.plugins import PluginHost;"
        "h = PluginHost(load_entry_points=False); h.register(g, name='grpc');"
        "main(['grpc', '--help'], Environment(stdout=io.StringIO(), host_factory=lambda: h));"
        "print('grpc' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
