"""What Newman 6.2.2 reports for errors and printed values, observed by running the same
scripts through it; each case here is a difference wirecall once had."""

from __future__ import annotations

from typing import Any

from wirecall.core.records import Response

from .conftest import make_context, passed


async def test_pm_expect_fail_is_chais(run) -> None:
    # Newman: AssertionError "forced failure"; without a message "expect.fail()".
    result = await run(
        "pm.test('a', () => pm.expect.fail('forced failure'));\n"
        "pm.test('b', () => pm.expect.fail());\n"
        "pm.test('c', () => pm.expect.fail(1, 2, 'msg here'));"
    )
    assert passed(result) == [("a", False), ("b", False), ("c", False)]
    assert [(a.error_name, a.error_message) for a in result.assertions] == [
        ("AssertionError", "forced failure"),
        ("AssertionError", "expect.fail()"),
        ("AssertionError", "msg here"),
    ]


async def test_script_errors_have_no_name_prefix(run) -> None:
    # Newman: name 'ReferenceError', message 'notDefinedAnywhere is not defined'.
    error = (await run("pm.test('a', () => {});\nnotDefinedAnywhere.x = 1;")).error
    assert (error.js_name, error.message, error.line) == (
        "ReferenceError",
        "notDefinedAnywhere is not defined",
        2,
    )


async def test_source_is_wrapped_as_newman_wraps_it(run) -> None:
    # Newman runs `;var arguments = undefined;\n<source>\n;`: an unclosed `if ( {` meets
    # that `;` (Unexpected token ';', not end of input), and `arguments` is undefined.
    error = (await run("pm.test('unreachable', () => {});\nif ( {")).error
    assert (error.js_name, error.message) == ("SyntaxError", "Unexpected token ';'")
    error = (await run("/* unterminated")).error
    assert (error.js_name, error.message) == ("SyntaxError", "Invalid or unexpected token")
    result = await run("pm.test('args', () => pm.expect(typeof arguments).to.equal('undefined'))")
    assert passed(result) == [("args", True)]


async def test_json_parse_errors_are_liquid_jsons(run) -> None:
    # Newman's sandbox JSON and Response.json() are liquid-json: JSONError, line:column,
    # the line and a caret (texts recorded from Newman 6.2.2).
    result = await run(
        "pm.test('a', () => JSON.parse('not json'));\n"
        "pm.test('b', () => JSON.parse(''));\n"
        "pm.test('c', () => JSON.parse('{\"a\":1 \"b\":2}'));\n"
        "pm.test('d', () => JSON.parse('[1,'));\n"
        "pm.test('e', () => pm.expect(JSON.parse('\\uFEFF[1]')).to.eql([1]));\n"
        "pm.test('f', () => { const o = {}; o.o = o; JSON.stringify(o); });\n"
        "pm.test('g', () => { try { JSON.parse('x') } catch (e) { pm.expect(e).to.be.instanceOf(SyntaxError) } });"
    )
    assert [(a.error_name, a.error_message) for a in result.assertions] == [
        ("JSONError", "Unexpected token 'n' at 1:1\nnot json\n^"),
        ("JSONError", "No data, empty input at 1:1\n\n^"),
        ("JSONError", 'Unexpected token \'b\' at 1:9\n{"a":1 "b":2}\n        ^'),
        ("JSONError", "No data, only a whitespace at 1:4\n[1,\n   ^"),
        (None, None),
        (
            "JSONError",
            (
                "Converting circular structure to JSON\n    --> starting at object with constructor"
                " 'Object'\n    --- property 'o' closes the circle"
            ),
        ),
        (None, None),
    ]


async def test_response_json_error_quotes_the_body_line(run) -> None:
    body = b'<?xml version="1.0"?>\n<a/>'
    ctx = make_context(response=Response(protocol="http", code=200, body=body))
    result = await run(
        "pm.test('json', () => pm.response.json());\n"
        "pm.test('to.be.json', () => pm.response.to.be.json);",
        context=ctx,
    )
    assert [(a.error_name, a.error_message) for a in result.assertions] == [
        ("JSONError", "Unexpected token '<' at 1:1\n<?xml version=\"1.0\"?>\n^"),
        (
            "AssertionError",
            "expected response body to be a valid json but got error Unexpected token '<' at 1:1",
        ),
    ]


async def test_a_thrown_non_error_fails_as_assertion_error_named_after_the_test(run) -> None:
    # Newman: `_.get(error, 'name', 'AssertionError')`, `_.get(error, 'message', testName)`.
    result = await run(
        "pm.test('thrown string', () => { throw 'plain string'; });\n"
        "pm.test('thrown null', (done) => { throw null; });\n"
        "pm.test('object message', () => { throw {message: 'm'}; });\n"
        "pm.test('object name', () => { throw {name: 'N'}; });\n"
        "pm.test('done string', (done) => done('bad'));\n"
        "pm.test('done 0', (done) => done(0));"
    )
    assert [(a.name, a.passed, a.error_name, a.error_message) for a in result.assertions] == [
        ("thrown string", False, "AssertionError", "thrown string"),
        ("thrown null", False, "AssertionError", "thrown null"),
        ("object message", False, "AssertionError", "m"),
        ("object name", False, "N", "object name"),
        ("done string", False, "AssertionError", "done string"),
        ("done 0", True, None, None),
    ]


async def test_send_request_responses_have_no_to(run) -> None:
    # Newman: res.to.be.ok is "Cannot read properties of undefined (reading 'be')";
    # pm.expect(res) still knows it is a response.
    async def send_request(request: dict[str, Any]) -> dict[str, Any]:
        return {"code": 404, "status": "Not Found", "body": "", "headers": []}

    result = await run(
        "pm.sendRequest('http://127.0.0.1:9/', (err, res) => {\n"
        "  pm.test('to', () => res.to.be.ok);\n"
        "  pm.test('expect', () => pm.expect(res).to.have.status(200));\n"
        "});",
        context=make_context(send_request=send_request),
    )
    assert [(a.error_name, a.error_message) for a in result.assertions] == [
        ("TypeError", "Cannot read properties of undefined (reading 'be')"),
        ("AssertionError", "expected response to have status code 200 but got 404"),
    ]


async def test_sdk_objects_print_as_newman_prints_them(run) -> None:
    # chai prints class name and own properties; these are Newman 6.2.2's texts.
    values = {
        "response": "pm.response",
        "request": "pm.request",
        "url": "pm.request.url",
        "query": "pm.request.url.query",
        "header": "pm.request.headers.idx(0)",
        "headers": "pm.response.headers",
        "cookies": "pm.cookies",
        "environment": "pm.environment",
        "globals": "pm.globals",
        "variables": "pm.variables",
        "iterationData": "pm.iterationData",
        "test": "pm.test",
        "location": "pm.execution.location",
    }
    result = await run(
        "\n".join(f"pm.test('{k}', () => pm.expect({v}).to.equal(1));" for k, v in values.items())
    )
    assert {a.name: a.error_message for a in result.assertions} == {
        "response": "expected PostmanResponse{ …(10) } to equal 1",
        "request": "expected PostmanRequest{ …(4) } to equal 1",
        "url": "expected PostmanUrl{ auth: undefined, …(7) } to equal 1",
        "query": "expected PostmanPropertyList{ …(6) } to equal 1",
        "header": "expected PostmanHeader{ key: 'Accept', …(2) } to equal 1",
        "headers": "expected a{ …(7) } to equal 1",
        "cookies": "expected a{ __parent: null, members: [], …(6) } to equal 1",
        "environment": "expected PostmanVariableScope{ …(5) } to equal 1",
        "globals": "expected PostmanVariableScope{ …(4) } to equal 1",
        "variables": "expected PostmanVariableScope{ …(5) } to equal 1",
        "iterationData": "expected PostmanVariableScope{ …(2) } to equal 1",
        "test": "expected [Function] to equal 1",
        "location": "expected [ 'Coll', 'Users', 'Get user' ] to equal 1",
    }


async def test_sdk_objects_keep_their_api(run) -> None:
    # Hidden bookkeeping must not change what scripts read and write.
    ctx = make_context("prerequest")
    result = await run(
        "pm.test('parents', () => pm.expect([pm.request.headers.__parent === pm.request,"
        " pm.request.headers.idx(0).__parent === pm.request.headers,"
        " pm.request.url.query.__parent === pm.request.url]).to.eql([true, true, true]));\n"
        "pm.test('reference', () => pm.expect(Object.keys(pm.request.url.query.reference)).to.eql(['expand', 'q']));\n"
        "pm.environment.set('k', 'v');\n"
        "pm.test('mutations', () => pm.expect(pm.environment.mutations.stream).to.eql([['set', 'k', 'v']]));\n"
        "pm.test('values', () => pm.expect(pm.environment.values.get('k')).to.equal('v'));\n"
        "pm.request.url = 'http://example.test/x?y=1'; pm.request.body = {mode: 'raw', raw: 'hi'};",
        context=ctx,
        event="prerequest",
    )
    assert all(ok for _, ok in passed(result)), result.assertions
    assert ctx.request["url"]["raw"] == "http://example.test/x?y=1"
    assert ctx.request["body"] == {"mode": "raw", "raw": "hi"}


async def test_sugar_string_has_for_legacy_collections(run) -> None:
    # Newman's sandbox has Sugar.js's String#has (checked there with these inputs).
    result = await run(
        "tests['body has'] = responseBody.has('Ada');\n"
        "tests['body lacks'] = responseBody.has('nope');\n"
        "pm.test('cases', () => pm.expect(['a.c'.has('.'), 'abc'.has('.'), 'a(b'.has('('),"
        " 'x'.has(undefined), '12'.has(1), 'abc'.has(/b+/), ''.has('')]).to.eql("
        "[true, false, true, false, true, true, true]));"
    )
    assert passed(result) == [("cases", True), ("body has", True), ("body lacks", False)]
