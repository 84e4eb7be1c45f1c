"""One collection, five protocols, run over TCP and over Unix sockets with only the addresses changed."""

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.clirun import run_cli
from tests.fixtures import running, socket_dir

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def pm_test(name: str, source: str) -> dict[str, object]:
    return {"listen": "test", "script": {"exec": [f"pm.test({name!r}, () => {{ {source} }});"]}}


COLLECTION = {
    "info": {"name": "tcp or socket", "schema": SCHEMA},
    "item": [
        {"name": "http", "request": {"method": "GET", "url": "{{httpBase}}/get?x=1"},
         "event": [pm_test("echoed", "pm.expect(pm.response.json().args).to.eql({x: '1'})")]},
        {"name": "graphql", "protocol": "graphql", "request": {"url": "{{graphqlUrl}}", "query": "{ hello }"},
         "event": [pm_test("greeted", "pm.expect(pm.response.json().data.hello).to.equal('Hello, world!')")]},
        {"name": "soap", "protocol": "soap", "request": {"wsdl": "{{soapBase}}/soap11?wsdl", "operation": "Add", "args": {"a": 2, "b": 3}},
         "event": [pm_test("summed", "pm.expect(pm.response.text()).to.include('>5</')")]},
        {"name": "websocket", "protocol": "websocket",
         "request": {"url": "{{wsBase}}/", "messages": [{"data": "ping"}], "until": {"messages": 1, "timeoutMs": 5000}},
         "event": [pm_test("echo", "pm.expect(pm.response.messages.filter(m => m.direction === 'received')[0].data).to.equal('ping')")]},
        {"name": "grpc", "protocol": "grpc",
         "request": {"url": "{{grpcUrl}}", "methodPath": "routeguide.v1.RouteGuide/GetFeature",
                     "messages": [{"data": {"latitude": 1, "longitude": 2}}]},
         "event": [pm_test("feature", "pm.expect(pm.response.messages.filter(m => m.direction === 'received').length).to.equal(1)")]},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def tcp() -> Iterator[dict[str, str]]:
    with ExitStack() as stack:

        def start(name: str) -> str:
            return stack.enter_context(running(name)).url

        yield {"httpBase": start("http"), "graphqlUrl": start("graphql"), "soapBase": start("soap"),
               "wsBase": start("websocket"), "grpcUrl": start("grpc")}  # fmt: skip


@pytest.fixture(scope="module")
def sockets() -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        folder = stack.enter_context(socket_dir("wc-same-"))

        def path(name: str) -> str:
            return os.path.join(folder, f"{name}.sock")

        for name in ("http", "graphql", "soap", "websocket", "grpc"):
            stack.enter_context(running(name, "--uds", path(name)))
        yield {"httpBase": f"http://unix:{path('http')}:", "graphqlUrl": f"http://unix:{path('graphql')}:/graphql",
               "soapBase": f"http://unix:{path('soap')}:", "wsBase": f"ws://unix:{path('websocket')}:",
               "grpcUrl": f"unix:{path('grpc')}"}  # fmt: skip


@pytest.mark.parametrize("transport", ["tcp", "sockets"])
def test_same_collection_over_tcp_and_unix_sockets(transport: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    addresses: dict[str, str] = request.getfixturevalue(transport)
    collection = tmp_path / "c.json"
    collection.write_text(json.dumps(COLLECTION))
    report = tmp_path / "r.json"
    env_vars = [arg for key, value in addresses.items() for arg in ("--env-var", f"{key}={value}")]
    result = run_cli("run", str(collection), *env_vars, "-r", "json", "--reporter-json-export", str(report))
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [], result.out + result.err
    passed = [a["assertion"] for e in run["executions"] for a in e["assertions"] if "error" not in a]
    assert passed == ["echoed", "greeted", "summed", "echo", "feature"]
    grpc = next(e for e in run["executions"] if e["item"]["name"] == "grpc")["response"]["messages"]
    assert [(m["direction"], m["type"]) for m in grpc] == [("sent", "json"), ("received", "json")]
    assert json.loads(grpc[1]["data"]) == {"location": {"latitude": 1, "longitude": 2}}  # no feature there
    assert result.code == 0


@pytest.mark.skipif(not Path("/var/run/docker.sock").is_socket(), reason="no Docker socket on this machine")
def test_docker_api_example_from_the_docs() -> None:
    result = run_cli("http", "unix:/var/run/docker.sock:/v1.43/containers/json")
    assert result.code == 0 and result.out.lstrip().startswith("[")
