"""``wirecall run`` with gRPC items: scripts see pm.request, pm.message and pm.response."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from wirecall.cli.env import Environment
from wirecall.cli.main import main

from tests.clirun import only

RG = "routeguide.v1.RouteGuide"


def script(event: str, *lines: str) -> dict[str, Any]:
    return {"listen": event, "script": {"exec": list(lines)}}


def grpc_item(
    name: str, method: str, messages: list[Any], *events: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    request = {
        "url": "{{target}}",
        "methodPath": method,
        "messages": [{"data": m} for m in messages],
    }
    return {
        "name": name,
        "protocol": "grpc",
        "request": {**request, **extra},
        "event": list(events),
    }


COLLECTION = {
    "info": {
        "name": "gRPC",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "item": [
        grpc_item(
            "unary",
            f"{RG}/GetFeature",
            [{"latitude": 515007000, "longitude": -1246000}],
            script(
                "test",
                "pm.test('OK', () => pm.response.to.have.statusCode(0));",
                "pm.test('Big Ben', () => pm.expect(pm.response.json().name).to.equal('Big Ben'));",
                "pm.test('method path', () => pm.expect(pm.request.methodPath).to.equal("
                f"'{RG}/GetFeature'));",
            ),
        ),
        grpc_item(
            "server stream",
            f"{RG}/ListFeatures",
            [{"lo": {"latitude": 515000000, "longitude": -1300000}, "hi": {"latitude": 515100000}}],
            script(
                "message",
                "if (pm.message.direction === 'received') {",
                "  pm.test('a landmark', () => pm.expect(pm.message.data.category).to.equal('CATEGORY_LANDMARK'));",
                "}",
            ),
            script(
                "test",
                "pm.test('two features', () => pm.expect(",
                "  pm.response.messages.filter({direction: 'received'}).length).to.equal(2));",
            ),
        ),
        grpc_item(
            "error",
            f"{RG}/Fail",
            [{"code": 5, "message": "gone"}],
            script(
                "test",
                "pm.test('NOT_FOUND', () => pm.response.to.have.statusCode(5));",
                "pm.test('details trailer', () => pm.expect(pm.response.trailers.has("
                "'grpc-status-details-bin')).to.equal(true));",
            ),
        ),
    ],
}


def test_collection_with_grpc_items(plain: str, tmp_path: Path) -> None:
    collection, report = tmp_path / "c.json", tmp_path / "r.json"
    collection.write_text(json.dumps(COLLECTION))
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdout=out, stderr=err, stdout_isatty=False, env={}, host_factory=only("grpc")
    )
    argv = [
        "run",
        str(collection),
        "--env-var",
        f"target={plain}",
        "-r",
        "json",
        "--reporter-json-export",
        str(report),
    ]
    code = main(argv, env)
    run = json.loads(report.read_text())["run"]
    failures = [f["error"]["message"] for f in run["failures"]]
    # 3 + 2 message-script tests + 1 + 2
    assert run["stats"]["assertions"] == {"total": 8, "pending": 0, "failed": 0}, failures
    # a non-OK status fails its item (the request), while its tests still run and pass
    (failure,) = run["failures"]
    assert failure["error"]["message"] == "NOT_FOUND: gone", failure
    assert code == 1, err.getvalue()


def test_each_iteration_sends_what_its_variables_say(plain: str, tmp_path: Path) -> None:
    """Iteration data and a collection variable a script changes between two calls both reach
    the next call's message (nothing of an earlier call of the same item is reused)."""
    hello = "greeter.v1.Greeter/SayHello"
    collection = {
        "info": COLLECTION["info"],
        "item": [
            grpc_item(
                "from the data file",
                hello,
                [{"name": "{{who}}"}],
                script(
                    "test",
                    "pm.test('greets the row', () => pm.expect(pm.response.json().message)"
                    ".to.equal(`Hello, ${pm.iterationData.get('who')}!`));",
                    "pm.collectionVariables.set('later', 'x' + pm.info.iteration);",
                ),
            ),
            grpc_item(
                "from the script",
                hello,
                [{"name": "{{later}}"}],
                script(
                    "test",
                    "pm.test('greets the variable', () => pm.expect(pm.response.json().message)"
                    ".to.equal(`Hello, x${pm.info.iteration}!`));",
                ),
            ),
        ],
    }
    path, data, report = tmp_path / "c.json", tmp_path / "d.json", tmp_path / "r.json"
    path.write_text(json.dumps(collection))
    data.write_text(json.dumps([{"who": "Ada"}, {"who": "Bob"}]))
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdout=out, stderr=err, stdout_isatty=False, env={}, host_factory=only("grpc")
    )
    argv = ["run", str(path), "--env-var", f"target={plain}", "-d", str(data)]
    code = main([*argv, "-r", "json", "--reporter-json-export", str(report)], env)
    run = json.loads(report.read_text())["run"]
    assert run["stats"]["assertions"] == {"total": 4, "pending": 0, "failed": 0}, run["failures"]
    assert code == 0, err.getvalue()
