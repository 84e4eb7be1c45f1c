"""expect.js says exactly what Newman says: chai 4's and chai-postman's failure messages.

The expected results live in chai_messages.json, recorded from Newman 6.2.2 (the oracle).
Each case is one ``pm.test`` body run against a response fixture; the file also holds the
fixtures (status, reason, headers, body) and, per fixture, the JSON parse error that
Postman's SDK raises for its body.

To add cases: append entries ``{"fixture": ..., "code": ...}`` to ``cases`` and regenerate:

    .venv/bin/python -m tests.core.scripts.test_expect --record [path/to/newman]

That serves the fixtures from a local HTTP server, runs one collection (an item per
fixture, a ``pm.test`` per case) through Newman with the JSON reporter and writes each
case's name/pass/error back into the file. The tests below need no Newman.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from py_mini_racer import MiniRacer

HERE = Path(__file__).parent
ORACLE = HERE / "chai_messages.json"
EXPECT_JS = Path(__file__).parents[3] / "core" / "scripts" / "js" / "expect.js"

# A minimal pm for the cases: chai's expect, plus a response and request of the shape
# expect.js documents, built from a fixture.
HARNESS = r"""
var __fixtures = %(fixtures)s;
function __headers(pairs) {
  function find(name) {
    name = String(name).toLowerCase();
    for (var i = 0; i < pairs.length; i++) if (pairs[i][0].toLowerCase() === name) return pairs[i];
    return undefined;
  }
  return {
    has: function (name) { return find(name) !== undefined; },
    one: function (name) { var p = find(name); return p && {key: p[0], value: p[1]}; },
    get: function (name) { var p = find(name); return p && p[1]; }
  };
}
function __pm(fixtureName) {
  var f = __fixtures[fixtureName];
  var marks = __wirecall_responseAssertions(__wirecall_chai);
  var response = marks.response({
    code: f.code, status: f.reason, responseTime: 5,
    headers: __headers(f.headers),
    reason: function () { return this.status; },
    details: function () { return {code: this.code}; },
    text: function () { return f.body; },
    json: function () {
      if (f.json_error === null) return JSON.parse(f.body);
      var e = new Error(f.json_error); e.name = 'JSONError'; throw e;
    },
    size: function () { return {body: f.body.length, header: 0}; }
  });
  var request = marks.request({headers: __headers([['X-Req', 'one']])});
  return {expect: __wirecall_chai.expect, response: response, request: request};
}
function __run(fixtureName, body) {
  var pm = __pm(fixtureName);
  try {
    new Function('pm', body)(pm);
    return {passed: true, error_name: null, message: null};
  } catch (e) {
    return {passed: false, error_name: e.name, message: e.message};
  }
}
"""


def _oracle() -> dict[str, Any]:
    return json.loads(ORACLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def v8() -> Iterator[MiniRacer]:
    ctx = MiniRacer()
    ctx.eval(EXPECT_JS.read_text(encoding="utf-8"))
    ctx.eval(HARNESS % {"fixtures": json.dumps(_oracle()["responses"])})
    yield ctx
    ctx.close()


def _run(v8: MiniRacer, fixture: str, code: str) -> dict[str, Any]:
    return json.loads(v8.eval(f"JSON.stringify(__run({json.dumps(fixture)}, {json.dumps(code)}))"))


CASES = _oracle()["cases"]


# a case appended without a name is new: --record names it
@pytest.mark.parametrize("case", CASES, ids=[c.get("name", "new") for c in CASES])
def test_same_result_and_message_as_newman(v8: MiniRacer, case: dict[str, Any]) -> None:
    got = _run(v8, case["fixture"], case["code"])
    want = {"passed": case["passed"], "error_name": case["error_name"], "message": case["message"]}
    assert got == want, case["code"]


def test_only_the_two_documented_globals_are_added() -> None:
    with MiniRacer() as ctx:
        before = set(json.loads(ctx.eval("JSON.stringify(Object.getOwnPropertyNames(globalThis))")))
        ctx.eval(EXPECT_JS.read_text(encoding="utf-8"))
        after = set(json.loads(ctx.eval("JSON.stringify(Object.getOwnPropertyNames(globalThis))")))
    assert after - before == {"__wirecall_chai", "__wirecall_responseAssertions"}


def test_assertion_error_carries_actual_expected_and_show_diff(v8: MiniRacer) -> None:
    got = json.loads(
        v8.eval(
            "(function () { try { __wirecall_chai.expect({a: 1}).to.eql({a: 2}); }"
            " catch (e) { return JSON.stringify({name: e.name, isError: e instanceof Error,"
            " actual: e.actual, expected: e.expected, showDiff: e.showDiff,"
            " typed: e instanceof __wirecall_chai.AssertionError}); } })()"
        )
    )
    assert got == {
        "name": "AssertionError",
        "isError": True,
        "actual": {"a": 1},
        "expected": {"a": 2},
        "showDiff": True,
        "typed": True,
    }


def test_inspect_is_chais_printer(v8: MiniRacer) -> None:
    shown = v8.eval("__wirecall_chai.inspect({a: [1, 'x', null], b: undefined})")
    assert shown == "{ a: [ 1, 'x', null ], b: undefined }"


def test_marking_adds_only_the_to_getter_or_nothing(v8: MiniRacer) -> None:
    got = json.loads(
        v8.eval(
            "(function () { var marks = __wirecall_responseAssertions(__wirecall_chai);"
            " var a = marks.response({code: 200}); var b = marks.response({code: 201}, {to: false});"
            " var failed = null;"
            " try { __wirecall_chai.expect(b).to.have.statusCode(200); } catch (e) { failed = e.message; }"
            " return JSON.stringify({a: Object.getOwnPropertyNames(a), b: Object.getOwnPropertyNames(b),"
            " shown: __wirecall_chai.inspect(b), failed: failed}); })()"
        )
    )
    assert got == {
        "a": ["code", "to"],
        "b": ["code"],
        "shown": "{ code: 201 }",
        "failed": "expected response to have status code 200 but got 201",
    }


# --------------------------------------------------------------------------------------
# Recording the oracle from Newman (a one-off, run by hand; see the module docstring)
# --------------------------------------------------------------------------------------


class _FixtureHandler(BaseHTTPRequestHandler):
    fixtures: ClassVar[dict[str, Any]] = {}

    def do_GET(self) -> None:
        f = self.fixtures[self.path.strip("/")]
        body = f["body"].encode()
        self.send_response(f["code"], f["reason"])
        for key, value in f["headers"]:
            self.send_header(key, value)
        if f["code"] != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if f["code"] != 304:
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _sdk_json_errors(fixtures: dict[str, Any], newman: Path) -> None:
    """Ask Postman's own JSON parser (liquid-json, beside Newman) how each body fails."""
    liquid = newman.resolve().parents[2] / "liquid-json"  # node_modules/newman/bin/newman.js
    script = (
        "const L = require(process.argv[1]); const bodies = JSON.parse(process.argv[2]);"
        "const out = {}; for (const [k, b] of Object.entries(bodies)) {"
        " try { L.parse(b); out[k] = null; } catch (e) { out[k] = e.message; } }"
        "console.log(JSON.stringify(out));"
    )
    bodies = json.dumps({k: f["body"] for k, f in fixtures.items()})
    out = subprocess.run(
        ["node", "-e", script, str(liquid), bodies], capture_output=True, text=True, check=True
    )
    for key, message in json.loads(out.stdout).items():
        fixtures[key]["json_error"] = message


def record(newman: Path) -> None:
    oracle = _oracle()
    fixtures = oracle["responses"]
    _sdk_json_errors(fixtures, newman)
    _FixtureHandler.fixtures = fixtures
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FixtureHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for i, case in enumerate(oracle["cases"]):
        case["name"] = f"c{i:03d}"
    items = []
    for name in fixtures:
        tests = [
            f"pm.test({json.dumps(c['name'])}, function () {{ {c['code']} }});"
            for c in oracle["cases"]
            if c["fixture"] == name
        ]
        if tests:
            items.append(
                {
                    "name": name,
                    "request": {
                        "method": "GET",
                        "url": f"{base}/{name}",
                        "header": [{"key": "X-Req", "value": "one"}],
                    },
                    "event": [
                        {"listen": "test", "script": {"type": "text/javascript", "exec": tests}}
                    ],
                }
            )
    collection = {
        "info": {
            "name": "chai oracle",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
    }
    with tempfile.TemporaryDirectory() as tmp:
        coll = Path(tmp) / "c.json"
        report = Path(tmp) / "r.json"
        coll.write_text(json.dumps(collection))
        subprocess.run(
            [
                str(newman),
                "run",
                str(coll),
                "--reporters",
                "json",
                "--reporter-json-export",
                str(report),
            ],
            check=False,
            capture_output=True,
        )
        run = json.loads(report.read_text())["run"]
    server.shutdown()
    server.server_close()
    results = {}
    for execution in run["executions"]:
        for a in execution.get("assertions", []):
            err = a.get("error")
            results[a["assertion"]] = {
                "passed": err is None,
                "error_name": err["name"] if err else None,
                "message": err["message"] if err else None,
            }
    for case in oracle["cases"]:
        case.update(results[case["name"]])
    ORACLE.write_text(json.dumps(oracle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {len(results)} cases into {ORACLE}")


if __name__ == "__main__":
    if "--record" not in sys.argv:
        sys.exit("usage: python -m tests.core.scripts.test_expect --record [newman]")
    args = [a for a in sys.argv[1:] if a != "--record"]
    record(Path(args[0]) if args else Path(".tools/node_modules/.bin/newman"))
