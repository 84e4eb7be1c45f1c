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
