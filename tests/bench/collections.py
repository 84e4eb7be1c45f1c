"""The benchmark's Postman v2.1 collections and environment (as in performance-anchors.md).

Request k alternates ``GET {{baseUrl}}/get?x={{x}}&i=k`` and ``POST {{baseUrl}}/post?x={{x}}&i=k``
with a JSON body using ``{{x}}`` and ``{{token}}``, a bearer header and ``{{$guid}}``. The
pre-request script sets two variables and resolves ``{{$guid}}``; the test script has three
``pm.test`` blocks: status 200, the echoed query value, and ``chain``, an environment variable
the previous request's test set (so requests depend on each other, as in real collections).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
ASSERTIONS_PER_REQUEST = 3

PRE_REQUEST = [
    "pm.variables.set('step', pm.info.iteration);",
    "pm.variables.set('who', 'bench');",
    "pm.variables.set('rid', pm.variables.replaceIn('{{$guid}}'));",
]


def _test_script(k: int) -> list[str]:
    return [
        "pm.test('status is 200', function () { pm.response.to.have.status(200); });",
        "pm.test('echoes the query', function () {",
        f"  pm.expect(pm.response.json().args.i).to.eql('{k}');",
        "});",
        "pm.test('chained variable', function () {",
        f"  pm.expect(pm.environment.get('chain')).to.eql('{k}');",
        f"  pm.environment.set('chain', '{k + 1}');",
        "});",
    ]


def _item(k: int, scripts: bool) -> dict[str, Any]:
    method = "GET" if k % 2 == 0 else "POST"
    path = method.lower()
    request: dict[str, Any] = {
        "method": method,
        "header": [
            {"key": "Authorization", "value": "Bearer {{token}}"},
            {"key": "X-Request-Id", "value": "{{$guid}}"},
        ],
        "url": {
            "raw": f"{{{{baseUrl}}}}/{path}?x={{{{x}}}}&i={k}",
            "host": ["{{baseUrl}}"],
            "path": [path],
            "query": [{"key": "x", "value": "{{x}}"}, {"key": "i", "value": str(k)}],
        },
    }
    if method == "POST":
        body = {"x": "{{x}}", "token": "{{token}}", "k": k, "tags": ["a", "b"]}
        request["body"] = {
            "mode": "raw",
            "raw": json.dumps(body),
            "options": {"raw": {"language": "json"}},
        }
        request["header"].append({"key": "Content-Type", "value": "application/json"})
    item: dict[str, Any] = {"name": f"request {k}", "request": request}
    if scripts:
        item["event"] = [
            {"listen": "prerequest", "script": {"type": "text/javascript", "exec": PRE_REQUEST}},
            {"listen": "test", "script": {"type": "text/javascript", "exec": _test_script(k)}},
        ]
    return item


def collection(n: int, scripts: bool) -> dict[str, Any]:
    return {
        "info": {"name": f"bench {n}{'' if scripts else ' noscripts'}", "schema": SCHEMA},
        "item": [_item(k, scripts) for k in range(n)],
    }


def environment(base_url: str) -> dict[str, Any]:
    values = {"baseUrl": base_url, "x": "42", "token": "t0k3n", "chain": "0"}
    return {
        "name": "bench",
        "values": [{"key": k, "value": v, "enabled": True} for k, v in values.items()],
    }


def write(folder: Path, base_url: str, sizes: tuple[int, ...]) -> dict[tuple[int, bool], Path]:
    """Write every collection and env.json into ``folder``; return {(n, scripts): path}."""
    (folder / "env.json").write_text(json.dumps(environment(base_url)))
    paths = {}
    for n in sizes:
        for scripts in (True, False):
            path = folder / f"bench-{n}-{'scripts' if scripts else 'noscripts'}.json"
            path.write_text(json.dumps(collection(n, scripts)))
            paths[n, scripts] = path
    return paths
