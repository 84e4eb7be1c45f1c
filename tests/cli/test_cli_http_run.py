"""``wirecall run`` end to end: a collection with JavaScript tests against the HTTP echo server."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from wirecall.cli.env import Environment
from wirecall.cli.main import main

from tests.clirun import only


def js_tests(*lines: str) -> list[dict[str, Any]]:
    return [{"listen": "test", "script": {"exec": list(lines)}}]


COLLECTION = {
    "info": {
        "name": "Echo",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "item": [
        {
            "name": "get",
            "request": {"method": "GET", "url": "{{base}}/get?user={{user}}"},
            "event": js_tests(
                "pm.test('status is 200', function () { pm.expect(pm.response.code).to.equal(200); });",
                "pm.test('echoes the user', function () {",
                "  pm.expect(pm.response.json().args.user).to.equal(pm.iterationData.get('user'));",
                "});",
            ),
        },
        {
            "name": "missing",
            "request": {"method": "GET", "url": "{{base}}/status/404"},
            "event": js_tests(
                "pm.test('found', function () { pm.expect(pm.response.code).to.equal(200); });"
            ),
        },
    ],
}


def test_run_against_the_echo_server(http_server: str, tmp_path: Path) -> None:
    collection, data, report = tmp_path / "c.json", tmp_path / "users.csv", tmp_path / "r.json"
    collection.write_text(json.dumps(COLLECTION))
    data.write_text("user\nada\ngrace\n")
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, stdout_isatty=False, env={}, host_factory=only("http"))
    argv = ["run", str(collection), "-d", str(data), "--env-var", f"base={http_server}",
            "-r", "cli,json", "--reporter-json-export", str(report)]  # fmt: skip
    code = main(argv, env)
    text = out.getvalue()
    assert code == 1, err.getvalue()
    assert "Iteration 2/2" in text
    assert f"  GET {http_server}/get?user=grace [200 OK, " in text
    assert "  ✓  echoes the user\n" in text
    assert f"  GET {http_server}/status/404 [404 Not Found, " in text
    assert "expected 404 to equal 200" in text
    run = json.loads(report.read_text())["run"]
    assert run["stats"]["assertions"] == {"total": 6, "pending": 0, "failed": 2}
    assert run["stats"]["iterations"]["total"] == 2
    assert [f["at"] for f in run["failures"]] == ["assertion:0 in test-script"] * 2
    assert run["executions"][2]["response"]["code"] == 200
    echoed = json.loads(bytes(run["executions"][2]["response"]["stream"]["data"]))
    assert echoed["args"] == {"user": "grace"}
