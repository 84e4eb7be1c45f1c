"""What Newman 6.2.2 reports for errors and printed values, observed by running the same
scripts through it; each case here is a difference wirecall once had."""

from __future__ import annotations

from .conftest import passed


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
