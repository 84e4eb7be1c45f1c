"""The pm API as a script sees it: variables, request, response, async work, cookies, vault."""

from __future__ import annotations

import http.cookiejar
from typing import Any

import httpx
import pytest
from wirecall.core.errors import ScriptRuntimeError

from .conftest import Message, make_context, passed


async def test_variables_read_through_scopes_and_write_back(run) -> None:
    ctx = make_context()
    result = await run(
        "pm.test('precedence', () => pm.expect(pm.variables.get('shared')).to.equal('from-env'));\n"
        "pm.test('scopes', () => pm.expect([pm.globals.get('g'), pm.collectionVariables.get('c'),"
        " pm.iterationData.get('row'), pm.environment.name]).to.eql(['global', 'coll', 1, 'Staging']));\n"
        "pm.environment.set('token', 'abc'); pm.globals.unset('g'); pm.collectionVariables.set('n', 5);\n"
        "pm.variables.set('shared', 'local');\n"
        "pm.test('local wins', () => pm.expect(pm.variables.get('shared')).to.equal('local'));\n"
        "pm.test('replaceIn', () => pm.expect(pm.variables.replaceIn('{{e}}-{{c}}-{{missing}}')).to.equal('env-coll-{{missing}}'));\n"
        "pm.test('dynamic', () => pm.expect(pm.variables.replaceIn('{{$guid}}')).to.match(/^[0-9a-f-]{36}$/));\n"
        "pm.test('toObject', () => pm.expect(pm.environment.toObject()).to.eql({e: 'env', shared: 'from-env', token: 'abc'}));",
        context=ctx,
    )
    assert all(ok for _, ok in passed(result)), result.assertions
    v = ctx.variables
    assert v.environment.get("token") == "abc" and not v.globals.has("g")
    assert v.collection.get("n") == 5 and v.local.get("shared") == "local"


async def test_faker_style_dynamic_variables_come_from_the_host(run) -> None:
    result = await run(
        "pm.test('name', () => pm.expect(pm.variables.replaceIn('{{$randomFirstName}}')).to.match(/^[A-Z][a-z]+$/))"
    )
    assert passed(result) == [("name", True)]


async def test_prerequest_changes_to_the_request_flow_back(run) -> None:
    ctx = make_context("prerequest")
    result = await run(
        "pm.request.headers.upsert({key: 'Authorization', value: 'Bearer ' + btoa('u:p')});\n"
        "pm.request.headers.add({key: 'X-Id', value: '1'}); pm.request.headers.remove('Accept');\n"
        "pm.request.url.query.add({key: 'page', value: '2'}); pm.request.method = 'POST';\n"
        "pm.request.body = {mode: 'raw', raw: JSON.stringify({a: 1})};",
        context=ctx,
        event="prerequest",
    )
    assert result.error is None
    req = ctx.request
    assert req["method"] == "POST"
    assert req["header"] == [
        {"key": "Authorization", "value": "Bearer dTpw"},
        {"key": "X-Id", "value": "1"},
    ]
    assert req["url"]["raw"] == "https://api.example.test:8443/v1/users/42?expand=true&q=a&page=2"
    assert req["body"] == {"mode": "raw", "raw": '{"a":1}'}


async def test_unchanged_request_is_left_alone(run) -> None:
    ctx = make_context("prerequest")
    await run("pm.request.headers.get('Accept')", context=ctx, event="prerequest")
    assert ctx.request["url"] == "https://api.example.test:8443/v1/users/42?expand=true&q=a"


async def test_request_and_response_readers(run) -> None:
    result = await run(
        "const u = pm.request.url;\n"
        "pm.test('url', () => pm.expect([u.getHost(), u.getPath(), u.port, u.query.get('q'), u.toString()]).to.eql("
        "['api.example.test', '/v1/users/42', '8443', 'a', 'https://api.example.test:8443/v1/users/42?expand=true&q=a']));\n"
        "pm.test('method', () => pm.expect(pm.request.method).to.equal('GET'));\n"
        "pm.test('headers', () => pm.expect(pm.response.headers.get('content-type')).to.equal('application/json'));\n"
        "pm.test('has', () => pm.expect(pm.response.headers.has('x-trace')).to.be.true);\n"
        "pm.test('toObject', () => pm.expect(pm.response.headers.toObject()['x-trace']).to.equal('abc'));\n"
        "pm.test('code', () => pm.expect([pm.response.code, pm.response.status, pm.response.reason(), pm.response.responseTime]).to.eql([200, 'OK', 'OK', 12.5]));\n"
        "pm.test('body', () => pm.expect(pm.response.json().tags).to.have.members(['a', 'b']));\n"
        "pm.test('size', () => pm.expect(pm.response.responseSize).to.equal(pm.response.text().length));\n"
        "pm.test('legacy', () => pm.expect([responseCode.code, JSON.parse(responseBody).id, responseHeaders['X-Trace'], request.method]).to.eql([200, 42, 'abc', 'GET']));\n"
        "pm.test('ok', () => pm.response.to.be.ok);\n"
        "pm.test('json', () => pm.response.to.be.json);"
    )
    assert all(ok for _, ok in passed(result)), result.assertions


async def test_pm_parts_and_legacy_globals_built_on_use_behave_as_eager_ones(run) -> None:
    # pm's parts and the legacy globals are built on first use; a script sees no difference
    result = await run(
        "pm.test('keys', () => pm.expect(Object.keys(pm).slice(0, 8)).to.eql(['require', 'variables', "
        "'environment', 'collectionVariables', 'globals', 'iterationData', 'info', 'test']));\n"
        "pm.test('same object', () => pm.expect(pm.response === pm.response && pm.environment === pm.environment).to.be.true);\n"
        "pm.test('read-only', () => { pm.response = 1; pm.expect(pm.response.code).to.equal(200); });\n"
        "pm.test('eval sees legacy', () => pm.expect(JSON.parse(eval('responseBody')).id).to.equal(42));\n"
        "pm.environment.set('seen', postman.getEnvironmentVariable('e'));"
    )
    assert all(ok for _, ok in passed(result)), result.assertions
    assert len(result.assertions) == 4


PM_KEYS = [
    "require", "variables", "environment", "collectionVariables", "globals", "iterationData",
    "info", "test", "expect", "request", "response", "cookies", "sendRequest", "vault",
    "visualizer", "execution",
]  # fmt: skip
# Replacing a part is ignored (the script is sloppy code); every part, once built, is fixed.
FIXED_PARTS = (
    "const before = Object.keys(pm);\n"
    "pm.expect = null; pm.require = null; pm.sendRequest = null; delete pm.expect;\n"
    "const eager = [typeof pm.expect, typeof pm.require, typeof pm.sendRequest];\n"
    "for (const key of before) pm[key] = pm[key];\n"
    "const loose = before.filter((key) => {\n"
    "  const d = Object.getOwnPropertyDescriptor(pm, key);\n"
    "  return !('value' in d) || d.writable || d.configurable || !d.enumerable;\n"
    "});\n"
    "console.log(before, eager, loose, Object.keys(pm).join() === before.join());"
)


@pytest.mark.parametrize(
    ("event", "fields", "extra"),
    [
        ("test", {}, []),
        ("prerequest", {"protocol": "websocket"}, ["stream"]),
        (
            "message",
            {"protocol": "websocket", "message": Message("received", "m")},
            ["message", "stream"],
        ),
    ],
)
async def test_pm_parts_keep_their_order_and_are_read_only(run, event, fields, extra) -> None:
    result = await run(FIXED_PARTS, event=event, **fields)
    assert result.error is None
    assert result.console == [("log", [PM_KEYS + extra, ["function"] * 3, [], True])]


async def test_variable_scope_ids_are_distinct_version_4_uuids(run) -> None:
    result = await run(
        "const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;\n"
        "const ids = [pm.environment.id, pm.globals.id, pm.variables.id];\n"
        "for (let i = 0; i < 200; i++) ids.push(pm.variables.replaceIn('{{$guid}}'));\n"
        "pm.test('v4', () => pm.expect(ids.filter((id) => !v4.test(id))).to.eql([]));\n"
        "pm.test('distinct', () => pm.expect(new Set(ids).size).to.equal(ids.length));"
    )
    assert passed(result) == [("v4", True), ("distinct", True)]


async def test_invalid_json_body_throws_json_error(run) -> None:
    from wirecall.core.records import Response

    ctx = make_context(response=Response(protocol="http", code=200, body=b"<html>"))
    result = await run("pm.response.json()", context=ctx)
    assert result.error is not None and result.error.js_name == "JSONError"


async def test_done_callback_and_promise_tests_are_awaited(run) -> None:
    result = await run(
        "pm.test('done later', function (done) { setTimeout(() => { pm.expect(1).to.equal(1); done(); }, 5) });\n"
        "pm.test('done with error', function (done) { setTimeout(() => done(new Error('boom')), 1) });\n"
        "pm.test('promise', () => new Promise((resolve) => setTimeout(resolve, 1)));\n"
        "pm.test('rejected', async () => { await null; pm.expect(1).to.equal(2) });"
    )
    by_name = {a.name: a for a in result.assertions}
    assert by_name["done later"].passed and by_name["promise"].passed
    assert (by_name["done with error"].passed, by_name["done with error"].error_message) == (
        False,
        "boom",
    )
    assert by_name["rejected"].error_message == "expected 1 to equal 2"
    assert sorted(a.index for a in result.assertions) == [0, 1, 2, 3]


async def test_timers_and_intervals_settle_before_the_script_ends(run) -> None:
    result = await run(
        "let n = 0; const id = setInterval(() => { if (++n === 3) { clearInterval(id); pm.variables.set('n', n) } }, 1);\n"
        "const never = setTimeout(() => pm.test('cleared', () => {}), 1); clearTimeout(never);\n"
        "setImmediate(() => console.log('immediate'));"
    )
    assert result.console == [("log", ["immediate"])] and result.assertions == []


async def test_a_done_that_never_comes_fails_the_script_at_once(run) -> None:
    result = await run("pm.test('waits', function (done) {})")
    assert isinstance(result.error, ScriptRuntimeError)
    assert "pm.test 'waits' waiting for done()" in str(result.error)


async def test_errors_in_callbacks_are_exceptions_not_failures(run) -> None:
    result = await run("setTimeout(() => { null.x }, 1); pm.test('still runs', () => {})")
    assert result.error is None and passed(result) == [("still runs", True)]
    assert [str(e) for e in result.exceptions] == ["Cannot read properties of null (reading 'x')"]


async def test_a_rejected_returned_promise_fails_the_script(run) -> None:
    result = await run("return Promise.reject(new RangeError('nope'))")
    assert (str(result.error), result.error.js_name) == ("nope", "RangeError")


async def test_send_request_callback_and_promise_forms(run, http_server: str) -> None:
    calls: list[dict[str, Any]] = []

    async def send_request(request: dict[str, Any]) -> dict[str, Any]:
        calls.append(request)
        async with httpx.AsyncClient() as client:
            url = request["url"] if isinstance(request["url"], str) else request["url"]["raw"]
            body = (request.get("body") or {}).get("raw")
            headers = {h["key"]: h["value"] for h in request.get("header", [])}
            r = await client.request(
                request.get("method", "GET"), url, content=body, headers=headers
            )
        return {
            "code": r.status_code,
            "status": r.reason_phrase,
            "body": r.text,
            "headers": [{"key": k, "value": v} for k, v in r.headers.items()],
        }

    ctx = make_context(send_request=send_request)
    result = await run(
        f"const base = '{http_server}';\n"
        "pm.sendRequest(base + '/get?x=1', (err, res) => {\n"
        "  pm.test('callback', () => { pm.expect(err).to.equal(null); pm.expect(res.json().args).to.eql({x: '1'}); });\n"
        "});\n"
        "pm.sendRequest({url: base + '/post', method: 'POST', header: {'Content-Type': 'application/json'},"
        " body: {mode: 'raw', raw: '{\"a\":1}'}}).then((res) => {\n"
        "  pm.test('promise', () => { pm.expect(res).to.have.status(200); pm.expect(res.json().json).to.eql({a: 1}); });\n"
        "  pm.environment.set('after', res.code);\n"
        "});\n"
        "pm.sendRequest(base + '/status/404', (err, res) => pm.test('404 is no error', () => pm.expect(res.code).to.equal(404)));",
        context=ctx,
    )
    assert sorted(passed(result)) == [
        ("404 is no error", True),
        ("callback", True),
        ("promise", True),
    ], result
    assert ctx.variables.environment.get("after") == 200 and len(calls) == 3


async def test_send_request_failure_reaches_the_callback(run) -> None:
    async def send_request(request: dict[str, Any]) -> dict[str, Any]:
        raise ConnectionError("connection refused")

    result = await run(
        "pm.sendRequest('http://127.0.0.1:9/', (err, res) => pm.test('err', () => pm.expect(err.message).to.equal('connection refused')))",
        context=make_context(send_request=send_request),
    )
    assert passed(result) == [("err", True)]


async def test_cookies_and_the_jar(run) -> None:
    jar = http.cookiejar.CookieJar()
    ctx = make_context(cookies=jar)
    await run(
        "pm.cookies.jar().set('https://api.example.test/', 'session', 'abc', (err) => {\n"
        "  pm.cookies.jar().get('https://api.example.test/', 'session', (e, v) => pm.environment.set('got', v));\n"
        "});",
        context=ctx,
    )
    assert ctx.variables.environment.get("got") == "abc"
    result = await run(
        "pm.test('has', () => pm.expect(pm.cookies.has('session')).to.be.true);\n"
        "pm.test('get', () => pm.expect(pm.cookies.get('session')).to.equal('abc'));\n"
        "const all = await0(); function await0() { return null }\n"
        "pm.cookies.jar().getAll('https://api.example.test/').then((list) => pm.test('all', () => pm.expect(list.count()).to.equal(1)));\n"
        "pm.cookies.jar().clear('https://api.example.test/').then(() => pm.test('cleared', () => {}));",
        context=ctx,
    )
    assert sorted(passed(result)) == [
        ("all", True),
        ("cleared", True),
        ("get", True),
        ("has", True),
    ]
    assert list(jar) == []


async def test_vault_without_a_vault_rejects_clearly(run) -> None:
    result = await run(
        "pm.vault.get('k').catch((e) => pm.test('no vault', () => pm.expect(e.message).to.include('no vault configured')))"
    )
    assert passed(result) == [("no vault", True)]


async def test_vault_with_a_vault(run) -> None:
    class Vault:
        def __init__(self) -> None:
            self.data = {"k": "secret"}

        def get(self, name: str) -> str | None:
            return self.data.get(name)

        def set(self, name: str, value: str) -> None:
            self.data[name] = value

        def unset(self, name: str) -> None:
            self.data.pop(name, None)

    vault = Vault()
    result = await run(
        "(async () => { const v = await pm.vault.get('k'); await pm.vault.set('n', v + '2'); await pm.vault.unset('k');"
        " pm.test('vault', () => pm.expect([v, typeof (await0())]).to.eql(['secret', 'undefined'])) })();"
        " function await0() {}",
        context=make_context(vault=vault),
    )
    assert passed(result) == [("vault", True)] and vault.data == {"n": "secret2"}


async def test_legacy_globals_are_built_wherever_the_script_names_them(run) -> None:
    # Only the legacy globals a script names are built: a name at the very start, right
    # after an operator or bracket, next to a property of the same name, all count.
    result = await run(
        "responseCode.code === 200 ? tests['start'] = true : null;\n"
        "const o = {responseBody: 'prop'}; tests['beside a property'] ="
        " o.responseBody === 'prop' && JSON.parse(responseBody).id === 42;\n"
        "tests['in brackets'] = [request][0].method === 'GET';\n"
        "tests['a library'] = typeof(_) === 'function' && !!CryptoJS.MD5;"
    )
    assert passed(result) == [
        ("start", True),
        ("beside a property", True),
        ("in brackets", True),
        ("a library", True),
    ]
